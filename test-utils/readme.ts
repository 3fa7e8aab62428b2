/**
 * Runs the TypeScript examples of a package README as tests, so that every README stays runnable.
 *
 * Each ```ts block becomes one example (blocks fenced as ```ts no-run are skipped). The block's
 * import lines are hoisted, the rest runs inside an async function, so top-level `await` works.
 * The generated file lives in `<package>/.readme-examples/` (git-ignored) so that the package's
 * own dependencies resolve exactly as they would for a user.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ReadmeExample {
  title: string;
  code: string;
  run: () => Promise<void>;
}

const FENCE = /^```(ts|typescript)([^\n]*)\n([\s\S]*?)^```/gm;

/** Splits a block into its import statements (possibly multi-line) and the remaining body. */
function splitImports(code: string): { imports: string; body: string } {
  const lines = code.split('\n');
  const imports: string[] = [];
  const body: string[] = [];
  let inImport = false;
  for (const line of lines) {
    if (inImport || /^import\s/.test(line)) {
      imports.push(line);
      inImport = !/;\s*$/.test(line) && !/\sfrom\s+['"][^'"]+['"]\s*$/.test(line) && !/^import\s+['"]/.test(line);
    } else {
      body.push(line);
    }
  }
  return { imports: imports.join('\n'), body: body.join('\n') };
}

function headingBefore(markdown: string, index: number): string {
  const before = markdown.slice(0, index);
  const headings = [...before.matchAll(/^#{1,6}\s+(.+)$/gm)];
  return headings.length > 0 ? headings[headings.length - 1][1].trim() : 'README';
}

export function readmeExamples(readmePath: string): ReadmeExample[] {
  const markdown = fs.readFileSync(readmePath, 'utf8');
  const packageDir = path.dirname(readmePath);
  const outDir = path.join(packageDir, '.readme-examples');
  const examples: ReadmeExample[] = [];
  let n = 0;
  for (const match of markdown.matchAll(FENCE)) {
    const info = match[2].trim();
    if (/\bno-run\b/.test(info)) continue;
    n += 1;
    const code = match[3];
    const line = markdown.slice(0, match.index).split('\n').length + 1;
    const title = `README example ${n} (“${headingBefore(markdown, match.index ?? 0)}”, line ${line}) runs`;
    const { imports, body } = splitImports(code);
    const file = path.join(outDir, `example-${n}.ts`);
    examples.push({
      title,
      code,
      run: async () => {
        fs.mkdirSync(outDir, { recursive: true });
        fs.writeFileSync(file, `${imports}\n\nexport default async function main(): Promise<void> {\n${body}\n}\n`);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(file) as { default: () => Promise<void> };
        // What the example prints is for the reader of the README, not for the test log.
        const log = console.log;
        console.log = () => undefined;
        try {
          await mod.default();
        } finally {
          console.log = log;
        }
      },
    });
  }
  if (examples.length === 0) throw new Error(`${readmePath} has no runnable \`\`\`ts example`);
  return examples;
}

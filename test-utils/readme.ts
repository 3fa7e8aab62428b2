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

/** One `console.log(...)` of an example and the output its comment promises. */
export interface PrintCheck {
  /** Line of the README the call is on. */
  line: number;
  /** Expected output lines (the comment's text; a one-line comment loses a trailing `  (…)` note). */
  expected: string[];
}

/**
 * A line that ends in one `console.log(...);` call, alone or after the head of a loop or condition
 * on the same line (`for (const e of xs) console.log(e);`, `if (ok) console.log(x);`), with an
 * optional `// output` comment after it.
 */
const LOG_LINE = /^(\s*(?:(?:for|if|while)\s*\(.*\)\s*|else\s+)?)console\.log\((.*)\);\s*(?:\/\/\s?(.*))?$/;

/**
 * Rewrites the `console.log(...)` lines of a block (see `LOG_LINE`) into `__print(id, ...)`
 * and collects what each one's comment says it prints: the rest of the line after `//`, or the
 * comment lines right below it. `// prints` and `// →` prefixes are allowed.
 */
export function instrumentPrints(body: string, firstLine: number): { code: string; checks: Map<number, PrintCheck> } {
  const lines = body.split('\n');
  const checks = new Map<number, PrintCheck>();
  const clean = (c: string): string => c.replace(/^(prints:?|→)\s*/, '').replace(/\s+$/, '');
  for (let i = 0; i < lines.length; i++) {
    const m = LOG_LINE.exec(lines[i]);
    if (!m || /^\s*\/\//.test(lines[i])) continue;
    const id = checks.size + 1;
    let expected: string[] = [];
    if (m[3] !== undefined && m[3].trim() !== '') {
      expected = [clean(m[3]).replace(/\s{2,}\(.*\)$/, '')];
    } else {
      for (let j = i + 1; j < lines.length && /^\s*\/\/ /.test(lines[j]); j++) expected.push(clean(lines[j].replace(/^\s*\/\/ /, '')));
    }
    lines[i] = `${m[1]}__print(${id}, ${m[2]});`;
    if (expected.length > 0) checks.set(id, { line: firstLine + i, expected });
    else checks.set(id, { line: firstLine + i, expected: [] });
  }
  return { code: lines.join('\n'), checks };
}

/** What an example printed through each `console.log` line, by id (calls in a loop append). */
function formatArgs(args: unknown[]): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { format } = require('node:util') as typeof import('node:util');
  return format(...args);
}

/** Fails when a `console.log` printed something other than its comment says. */
export function checkPrints(checks: Map<number, PrintCheck>, printed: Map<number, string[]>, readme: string): void {
  const problems: string[] = [];
  for (const [id, check] of checks) {
    if (check.expected.length === 0) continue;
    const got = (printed.get(id) ?? []).join('\n').split('\n').map((l) => l.replace(/\s+$/, ''));
    const want = check.expected;
    const head = got.slice(0, want.length);
    if (head.join('\n') !== want.join('\n')) {
      problems.push(`${readme}:${check.line}: the comment says it prints\n    ${want.join('\n    ')}\n  but it printed\n    ${(got.length > 0 ? got : ['(nothing)']).join('\n    ')}`);
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
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
    const bodyLine = line + code.split('\n').findIndex((l) => body.split('\n')[0] === l);
    const { code: instrumented, checks } = instrumentPrints(body, bodyLine);
    const file = path.join(outDir, `example-${n}.ts`);
    examples.push({
      title,
      code,
      run: async () => {
        fs.mkdirSync(outDir, { recursive: true });
        fs.writeFileSync(
          file,
          `${imports}\n\nexport default async function main(__print: (id: number, ...args: unknown[]) => void): Promise<void> {\n${instrumented}\n}\n`,
        );
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(file) as { default: (print: (id: number, ...args: unknown[]) => void) => Promise<void> };
        // What the example prints is checked against its comments, not shown in the test log.
        const printed = new Map<number, string[]>();
        const log = console.log;
        console.log = () => undefined;
        try {
          await mod.default((id, ...args) => printed.set(id, [...(printed.get(id) ?? []), formatArgs(args)]));
        } finally {
          console.log = log;
        }
        checkPrints(checks, printed, readmePath);
      },
    });
  }
  if (examples.length === 0) throw new Error(`${readmePath} has no runnable \`\`\`ts example`);
  return examples;
}

import * as path from 'node:path';

/** The part of esbuild's API these tests use (esbuild comes with tsup, resolved through it, without its types). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{
    metafile: { inputs: Record<string, unknown>; outputs: Record<string, { imports: { path: string }[] }> };
    outputFiles: { text: string }[];
  }>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const esbuild = require(require.resolve('esbuild', { paths: [path.dirname(require.resolve('tsup/package.json'))] })) as Esbuild;

/**
 * Bundles `<srcDir>/<entry>` (a package's `src/` file) for browsers, leaving Node built-ins external so that any that is
 * used shows up among the output's imports; the IIFE format puts the exports on `twner`.
 */
export async function browserBundle(srcDir: string, entry: string, format: 'esm' | 'iife'): Promise<{ inputs: string[]; imports: string[]; code: string }> {
  const result = await esbuild.build({
    entryPoints: [path.join(srcDir, entry)],
    bundle: true,
    platform: 'browser',
    format,
    globalName: 'twner',
    write: false,
    metafile: true,
    external: ['node:*'],
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0];
  return { inputs: Object.keys(result.metafile.inputs), imports: output.imports.map((i) => i.path), code: result.outputFiles[0].text };
}

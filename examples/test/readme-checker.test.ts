import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readmeExamples } from '../../test-utils/readme';

// The README runner checks what each `console.log` prints against its comment.
function readme(body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twner-readme-'));
  const file = path.join(dir, 'README.md');
  fs.writeFileSync(file, `# T\n\n\`\`\`ts\n${body}\n\`\`\`\n`);
  return file;
}

describe('README print checks', () => {
  it('passes when every commented console.log prints what its comment says', async () => {
    const file = readme(
      ["const xs = [1, 2, 3];", "console.log(xs.length, xs[0]); // 3 1  (a note in parentheses is not output)",
        "console.log(['a', 'b'].join('\\n'));", "// a", "// b", "console.log('not checked');"].join('\n'),
    );
    for (const ex of readmeExamples(file)) await ex.run();
  });

  it('fails when a comment promises other output, naming the README line', async () => {
    const file = readme(['const n = 17;', 'console.log(n); // 15'].join('\n'));
    const [ex] = readmeExamples(file);
    await expect(ex.run()).rejects.toThrow(/README\.md:5: the comment says it prints\n {4}15\n {2}but it printed\n {4}17/);
  });

  it('checks a call after a loop or condition head on its line, with every line the loop printed', async () => {
    const loop = readme(['for (const x of [1, 2]) console.log(x, x * 10);', '// 1 10', '// 2 21'].join('\n'));
    await expect(readmeExamples(loop)[0].run()).rejects.toThrow(/README\.md:4: the comment says it prints\n {4}1 10\n {4}2 21\n {2}but it printed\n {4}1 10\n {4}2 20/);
    const right = readme(['for (const x of [1, 2]) console.log(x, x * 10);', '// 1 10', '// 2 20', "if (1 > 0) console.log('yes'); // yes"].join('\n'));
    await readmeExamples(right)[0].run();
    const wrongIf = readme(["if (1 > 0) console.log('yes'); // no"].join('\n'));
    await expect(readmeExamples(wrongIf)[0].run()).rejects.toThrow(/prints\n {4}no\n {2}but it printed\n {4}yes/);
  });

  it('checks comment lines below a call, and "// prints" prefixes', async () => {
    const file = readme(["console.log('x\\ny'); ", '// x', '// z'].join('\n'));
    await expect(readmeExamples(file)[0].run()).rejects.toThrow(/prints\n {4}x\n {4}z/);
    const ok = readme(["console.log('hi'); // prints hi"].join('\n'));
    await readmeExamples(ok)[0].run();
  });
});

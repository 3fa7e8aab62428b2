import { utf8Lines, utf8Text } from '../src/text-lines';

async function lines(chunks: (string | Buffer)[]): Promise<string[]> {
  const out: string[] = [];
  for await (const l of utf8Lines((async function* () { for (const c of chunks) yield typeof c === 'string' ? Buffer.from(c, 'utf8') : c; })(), 'in.txt')) out.push(`${l.n}:${l.text}`);
  return out;
}

describe('utf8Lines', () => {
  it('splits on \\n, \\r\\n and \\r, across chunk boundaries, keeps the last line without an end, numbers them', async () => {
    expect(await lines(['a\nb\r', '\nc\rd'])).toEqual(['1:a', '2:b', '3:c', '4:d']);
    expect(await lines(['\ufeffhé', 'llo\n\nx'])).toEqual(['1:héllo', '2:', '3:x']);
    // a multi-byte character split between chunks is whole
    const e = Buffer.from('é', 'utf8');
    expect(await lines([Buffer.from([0x61, e[0]]), Buffer.from([e[1], 0x0a])])).toEqual(['1:aé']);
    expect(await lines([])).toEqual([]);
  });

  it('refuses a line that is not UTF-8, naming line and byte column', async () => {
    await expect(lines(['ok\n', Buffer.from([0x61, 0x62, 0xff, 0x0a])])).rejects.toThrow('in.txt:2:3: invalid UTF-8 byte 0xff at byte column 3');
    // an overlong form and a lone surrogate are not UTF-8 either
    await expect(lines([Buffer.from([0xc0, 0xaf])])).rejects.toThrow('in.txt:1:1: invalid UTF-8 byte 0xc0');
    await expect(lines([Buffer.from([0xed, 0xa0, 0x80])])).rejects.toThrow('in.txt:1:1: invalid UTF-8 byte 0xed');
  });
});

describe('utf8Text', () => {
  it('gives the text without a BOM, or names line and column of the first bad byte', () => {
    expect(utf8Text(Buffer.from('\ufeffa\nb', 'utf8'), 'f')).toBe('a\nb');
    expect(() => utf8Text(Buffer.from([0x61, 0x0a, 0x62, 0x63, 0xe9, 0x0a]), 'f')).toThrow('f:2:3: invalid UTF-8 byte 0xe9 at byte column 3');
    expect(() => utf8Text(Buffer.from([0x61, 0x0d, 0x0a, 0xe9]), 'f')).toThrow('f:2:1:');
    expect(() => utf8Text(Buffer.from([0xef, 0xbb, 0xbf, 0xff]), 'f')).toThrow('f:1:1:');
  });
});

describe('utf8Lines on one long line', () => {
  it('joins a line that spans many chunks, byte for byte', async () => {
    const word = Buffer.from('héllo wörld ', 'utf8');
    const chunks: Buffer[] = [];
    // 2,000 chunks cut at odd places, through multi-byte characters too
    const whole = Buffer.concat(Array.from({ length: 4000 }, () => word));
    for (let at = 0; at < whole.length; at += 23) chunks.push(whole.subarray(at, at + 23));
    const got = await lines([...chunks, Buffer.from('\nend')]);
    expect(got).toEqual([`1:${whole.toString('utf8')}`, '2:end']);
  });
});

import * as path from 'node:path';
import { readmeExamples } from '../../test-utils/readme';

// The root README's library example runs like the package READMEs' examples.
describe('root README', () => {
  const previous = process.env.TWNER_DATA_DIR;
  beforeAll(() => {
    process.env.TWNER_DATA_DIR ??= path.resolve(__dirname, '../../../shared/data/wnut16');
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.TWNER_DATA_DIR;
    else process.env.TWNER_DATA_DIR = previous;
  });
  for (const example of readmeExamples(path.join(__dirname, '../../README.md'))) {
    it(example.title, () => example.run());
  }
});

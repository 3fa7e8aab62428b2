import * as path from 'node:path';
import { readmeExamples } from '../../../test-utils/readme';

describe('README', () => {
  for (const example of readmeExamples(path.join(__dirname, '../README.md'))) {
    it(example.title, () => example.run());
  }
});

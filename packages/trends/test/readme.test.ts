import path from 'node:path';
import { readmeExamples } from '../../../test-utils/readme';

describe('README', () => {
  for (const ex of readmeExamples(path.join(__dirname, '../README.md'))) it(ex.title, () => ex.run());
});

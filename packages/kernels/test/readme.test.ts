import * as path from 'node:path';
import { readmeExamples } from '../../../test-utils/readme';
import { activate } from './helpers';

describe('README', () => {
  beforeAll(() => activate('cpu'));
  for (const ex of readmeExamples(path.join(__dirname, '../README.md'))) it(ex.title, () => ex.run());
});

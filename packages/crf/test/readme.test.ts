import path from 'node:path';
import { readmeExamples } from '../../../test-utils/readme';
import { useTestBackend } from './helpers';

describe('README', () => {
  beforeAll(() => useTestBackend('cpu'));
  for (const ex of readmeExamples(path.join(__dirname, '../README.md'))) it(ex.title, () => ex.run());
});

/** The two BiLSTM-CRF architectures: the notebook's, and the default (char CNN + casing + gazetteers). */
export type Arch = 'notebook' | 'char-gazetteer';
export const ARCHS: readonly Arch[] = ['notebook', 'char-gazetteer'];

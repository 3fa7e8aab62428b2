/**
 * Whether `tag` has a chunk prefix and a delimiter but no entity type (`B-`, `I--`): seqeval would
 * read it as a chunk of type `_`, conlleval as one of type `''`, both silently. Tags such as
 * `-LRB-` or `-NONE-` (POS tags) do not start with a prefix letter and are not affected.
 */
export function hasPrefixWithoutType(tag: string): boolean {
  if (tag.length < 2 || tag.charCodeAt(1) !== 45 /* '-' */ || !'BIESLU'.includes(tag[0])) return false;
  for (let i = 2; i < tag.length; i++) if (tag.charCodeAt(i) !== 45) return false;
  return true;
}

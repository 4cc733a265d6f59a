/**
 * English function words that EDA never swaps for a synonym: replacing "the" or "of" changes the
 * grammar, not the wording, and thesauri list odd senses for them ("a" -> "angstrom").
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  `
  a about above after again against all am an and any are as at be because been before being below
  between both but by can could did do does doing down during each few for from further had has have
  having he her here hers herself him himself his how i if in into is it its itself just me more most
  my myself no nor not now of off on once only or other our ours ourselves out over own same she
  should so some such than that the their theirs them themselves then there these they this those
  through to too under until up very was we were what when where which while who whom why will with
  would you your yours yourself yourselves s t don ll re ve m d o y shan won isn aren wasn weren
  hasn haven hadn doesn didn couldn shouldn wouldn mustn needn mightn ain let us
  `
    .split(/\s+/)
    .filter((w) => w !== ''),
);

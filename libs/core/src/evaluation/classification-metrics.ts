/** Confusion matrix and per-class figures from true and predicted class indices. */

export interface ClassResult {
  name: string;
  /** Samples whose true class this is. */
  support: number;
  /** Samples predicted as this class. */
  predicted: number;
  /** Top-1 recall (the class's accuracy): correct / support; null when the class has no samples. */
  top1: number | null;
  /** correct / predicted; null when nothing was predicted as this class. */
  precision: number | null;
}

export interface ClassificationSummary {
  /** Share of samples whose prediction is their label. */
  accuracy: number;
  /** Mean top-1 recall over the classes that have samples: accuracy as if every class were equally common. */
  balancedAccuracy: number;
  /** Share of the most common true class: what always answering that class would score. */
  majorityBaseline: number;
  perClass: ClassResult[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
}

/** Labels and predictions must already be valid class indices of the same length (the callers check). */
export function summariseClassification(
  labels: readonly number[],
  predictions: readonly number[],
  classNames: readonly string[],
): ClassificationSummary {
  const c = classNames.length;
  const confusion = Array.from({ length: c }, () => new Array<number>(c).fill(0));
  let correct = 0;
  labels.forEach((label, i) => {
    const predicted = predictions[i] as number;
    const row = confusion[label] as number[];
    row[predicted] = (row[predicted] as number) + 1;
    if (predicted === label) correct++;
  });
  const perClass = classNames.map((name, k): ClassResult => {
    const row = confusion[k] as number[];
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, r) => a + (r[k] as number), 0);
    const hits = row[k] as number;
    return {
      name,
      support,
      predicted,
      top1: support === 0 ? null : hits / support,
      precision: predicted === 0 ? null : hits / predicted,
    };
  });
  const recalls = perClass.flatMap((p) => (p.top1 === null ? [] : [p.top1]));
  const n = labels.length;
  return {
    accuracy: n === 0 ? 0 : correct / n,
    balancedAccuracy: recalls.length === 0 ? 0 : recalls.reduce((a, b) => a + b, 0) / recalls.length,
    majorityBaseline: n === 0 ? 0 : Math.max(...perClass.map((p) => p.support)) / n,
    perClass,
    confusion,
  };
}

/** The op on the gradient path has no rule: we never substitute a silent zero. */
export class NoGradientRuleError extends Error {
  override name = 'NoGradientRuleError';
  constructor(
    readonly opType: string,
    readonly nodeName: string,
    readonly opset: number,
  ) {
    super(
      `no gradient rule for ${opType} (node '${nodeName}', opset ${opset}); it lies on the path from the loss to a requested tensor. ` +
        `Add a rule in libs/models/src/autodiff/rules/ or stop the gradient before this node.`,
    );
  }
}

/** A rule returned the wrong number of input gradients. */
export class GradArityError extends Error {
  override name = 'GradArityError';
  constructor(opType: string, nodeName: string, expected: number, actual: number) {
    super(
      `gradient rule for ${opType} (node '${nodeName}') returned ${actual} input gradients, expected ${expected}`,
    );
  }
}

/** The request itself is wrong: unknown tensors, a non-float loss, an attribute a rule cannot handle. */
export class GradientSpecError extends Error {
  override name = 'GradientSpecError';
}

import { OnnxModelError } from './errors.ts';
import { modelOpset, type Model } from './ir.ts';

/** Default-domain opsets soundedit's graphs and gradient rules are written and tested for. */
export const SUPPORTED_OPSETS = { min: 13, max: 21 } as const;

/**
 * Structural checks before a model reaches onnxruntime, so problems are reported in our terms:
 * which tensor is missing and which node wanted it, rather than a native stack trace.
 */
export function validateModel(model: Model): void {
  const opset = modelOpset(model);
  if (opset < SUPPORTED_OPSETS.min || opset > SUPPORTED_OPSETS.max) {
    throw new OnnxModelError(
      'UNSUPPORTED_OPSET',
      `the model declares default-domain opset ${opset || '(none)'}; soundedit supports opsets ${SUPPORTED_OPSETS.min} to ${SUPPORTED_OPSETS.max}` +
        ` (re-export with torch.onnx.export(..., opset_version=17) or convert with onnx.version_converter)`,
    );
  }
  const g = model.graph;
  const defined = new Set<string>();
  for (const v of g.inputs) defined.add(v.name);
  for (const t of g.initializers) {
    if (t.external) {
      throw new OnnxModelError(
        'MISSING_EXTERNAL_DATA',
        `initializer '${t.name}' is in '${t.external.location}', which was not loaded`,
        {
          subject: t.name,
        },
      );
    }
    defined.add(t.name);
  }
  for (const n of g.nodes) {
    for (const inp of n.inputs) {
      if (inp !== '' && !defined.has(inp)) {
        throw new OnnxModelError(
          'MISSING_INITIALIZER',
          `node '${n.name || n.opType}' (${n.opType}) reads '${inp}', which is neither a graph input, an initializer nor an earlier node's output`,
          { subject: inp },
        );
      }
    }
    for (const o of n.outputs) if (o) defined.add(o);
  }
  for (const o of g.outputs) {
    if (!defined.has(o.name)) {
      throw new OnnxModelError('INVALID_GRAPH', `graph output '${o.name}' is never produced`, {
        subject: o.name,
      });
    }
  }
}

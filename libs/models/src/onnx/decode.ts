import { OnnxModelError } from './errors.ts';
import {
  DataType,
  elementCount,
  type AttributeValue,
  type Dim,
  type Graph,
  type Model,
  type Node,
  type TensorValue,
  type ValueInfo,
} from './ir.ts';
import { WireReader, WireType } from './protobuf/wire-reader.ts';
import { fromNumbers, fromRawBytes } from './protobuf/tensor-bytes.ts';

/**
 * Parses an ONNX ModelProto. Field numbers follow onnx.proto (IR version 3 to 10).
 * Tensors stored in external-data files come back with `external` set and empty data; call
 * `loadExternalData` (external-data.ts) to fill them.
 */
export function decodeModel(bytes: Uint8Array): Model {
  if (bytes.length === 0) {
    throw new OnnxModelError('TRUNCATED', 'the ONNX file is empty');
  }
  const r = new WireReader(bytes, 0, bytes.length, 'ModelProto');
  const model: Model = {
    irVersion: 0,
    opsetImports: [],
    producerName: '',
    producerVersion: '',
    domain: '',
    modelVersion: 0,
    docString: '',
    graph: { name: '', nodes: [], inputs: [], outputs: [], initializers: [], valueInfo: [] },
    metadata: {},
  };
  let sawGraph = false;
  while (!r.done) {
    const { field, wire } = r.tag();
    switch (field) {
      case 1:
        model.irVersion = r.varint();
        break;
      case 2:
        model.producerName = r.string();
        break;
      case 3:
        model.producerVersion = r.string();
        break;
      case 4:
        model.domain = r.string();
        break;
      case 5:
        model.modelVersion = r.int64();
        break;
      case 6:
        model.docString = r.string();
        break;
      case 7:
        r.expectWire(wire, WireType.LEN);
        model.graph = decodeGraph(r.message('GraphProto'));
        sawGraph = true;
        break;
      case 8: {
        r.expectWire(wire, WireType.LEN);
        const s = r.message('OperatorSetIdProto');
        const op = { domain: '', version: 0 };
        while (!s.done) {
          const t = s.tag();
          if (t.field === 1) op.domain = s.string();
          else if (t.field === 2) op.version = s.int64();
          else s.skip(t.wire);
        }
        model.opsetImports.push(op);
        break;
      }
      case 14: {
        r.expectWire(wire, WireType.LEN);
        const [k, v] = decodeStringPair(r.message('StringStringEntryProto'));
        model.metadata[k] = v;
        break;
      }
      default:
        r.skip(wire);
    }
  }
  if (!sawGraph) {
    throw new OnnxModelError('INVALID_GRAPH', 'the ONNX model has no graph (is this really an .onnx file?)');
  }
  if (model.irVersion === 0) {
    throw new OnnxModelError(
      'INVALID_GRAPH',
      'the ONNX model declares no ir_version (is this really an .onnx file?)',
    );
  }
  return model;
}

function decodeStringPair(r: WireReader): [string, string] {
  let k = '';
  let v = '';
  while (!r.done) {
    const t = r.tag();
    if (t.field === 1) k = r.string();
    else if (t.field === 2) v = r.string();
    else r.skip(t.wire);
  }
  return [k, v];
}

export function decodeGraph(r: WireReader): Graph {
  const g: Graph = { name: '', nodes: [], inputs: [], outputs: [], initializers: [], valueInfo: [] };
  while (!r.done) {
    const { field, wire } = r.tag();
    switch (field) {
      case 1:
        r.expectWire(wire, WireType.LEN);
        g.nodes.push(decodeNode(r.message('NodeProto')));
        break;
      case 2:
        g.name = r.string();
        break;
      case 5:
        r.expectWire(wire, WireType.LEN);
        g.initializers.push(decodeTensor(r.message('TensorProto')));
        break;
      case 11:
        r.expectWire(wire, WireType.LEN);
        g.inputs.push(decodeValueInfo(r.message('ValueInfoProto')));
        break;
      case 12:
        r.expectWire(wire, WireType.LEN);
        g.outputs.push(decodeValueInfo(r.message('ValueInfoProto')));
        break;
      case 13:
        r.expectWire(wire, WireType.LEN);
        g.valueInfo.push(decodeValueInfo(r.message('ValueInfoProto')));
        break;
      default:
        r.skip(wire);
    }
  }
  return g;
}

function decodeNode(r: WireReader): Node {
  const n: Node = { opType: '', inputs: [], outputs: [], name: '', domain: '', attributes: {} };
  while (!r.done) {
    const { field, wire } = r.tag();
    switch (field) {
      case 1:
        n.inputs.push(r.string());
        break;
      case 2:
        n.outputs.push(r.string());
        break;
      case 3:
        n.name = r.string();
        break;
      case 4:
        n.opType = r.string();
        break;
      case 5: {
        r.expectWire(wire, WireType.LEN);
        const [name, value] = decodeAttribute(r.message('AttributeProto'));
        n.attributes[name] = value;
        break;
      }
      case 7:
        n.domain = r.string();
        break;
      default:
        r.skip(wire);
    }
  }
  if (!n.opType) {
    throw new OnnxModelError('INVALID_GRAPH', `node '${n.name}' has no op_type`, { subject: n.name });
  }
  return n;
}

const ATTR_TYPE = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
} as const;

function decodeAttribute(r: WireReader): [string, AttributeValue] {
  let name = '';
  let type = 0;
  let f = 0;
  let i = 0;
  let s = '';
  let t: TensorValue | undefined;
  let g: Graph | undefined;
  const floats: number[] = [];
  const ints: number[] = [];
  const strings: string[] = [];
  const tensors: TensorValue[] = [];
  const graphs: Graph[] = [];
  while (!r.done) {
    const { field, wire } = r.tag();
    switch (field) {
      case 1:
        name = r.string();
        break;
      case 20:
        type = r.varint();
        break;
      case 2:
        r.expectWire(wire, WireType.I32);
        f = r.float32();
        break;
      case 3:
        i = r.int64();
        break;
      case 4:
        s = r.string();
        break;
      case 5:
        t = decodeTensor(r.message('TensorProto'));
        break;
      case 6:
        g = decodeGraph(r.message('GraphProto'));
        break;
      case 7:
        r.repeatedFloat32(wire, floats);
        break;
      case 8:
        r.repeatedInt64(wire, ints);
        break;
      case 9:
        strings.push(r.string());
        break;
      case 10:
        tensors.push(decodeTensor(r.message('TensorProto')));
        break;
      case 11:
        graphs.push(decodeGraph(r.message('GraphProto')));
        break;
      default:
        r.skip(wire);
    }
  }
  switch (type) {
    case ATTR_TYPE.FLOAT:
      return [name, { type: 'float', value: f }];
    case ATTR_TYPE.INT:
      return [name, { type: 'int', value: i }];
    case ATTR_TYPE.STRING:
      return [name, { type: 'string', value: s }];
    case ATTR_TYPE.TENSOR:
      if (!t) break;
      return [name, { type: 'tensor', value: t }];
    case ATTR_TYPE.GRAPH:
      if (!g) break;
      return [name, { type: 'graph', value: g }];
    case ATTR_TYPE.FLOATS:
      return [name, { type: 'floats', value: floats }];
    case ATTR_TYPE.INTS:
      return [name, { type: 'ints', value: ints }];
    case ATTR_TYPE.STRINGS:
      return [name, { type: 'strings', value: strings }];
    case ATTR_TYPE.TENSORS:
      return [name, { type: 'tensors', value: tensors }];
    case ATTR_TYPE.GRAPHS:
      return [name, { type: 'graphs', value: graphs }];
  }
  throw new OnnxModelError(
    'MALFORMED_PROTOBUF',
    `attribute '${name}' has unsupported or inconsistent type ${type}`,
    {
      subject: name,
    },
  );
}

export function decodeTensor(r: WireReader): TensorValue {
  const dims: number[] = [];
  let dataType = 0;
  let name = '';
  let raw: Uint8Array | undefined;
  const floatData: number[] = [];
  const int32Data: number[] = [];
  const int64Data: number[] = [];
  const doubleData: number[] = [];
  const uint64Data: number[] = [];
  const external: Record<string, string> = {};
  let dataLocation = 0;
  while (!r.done) {
    const { field, wire } = r.tag();
    switch (field) {
      case 1:
        r.repeatedInt64(wire, dims);
        break;
      case 2:
        dataType = r.varint();
        break;
      case 4:
        r.repeatedFloat32(wire, floatData);
        break;
      case 5:
        r.repeatedInt64(wire, int32Data);
        break;
      case 7:
        r.repeatedInt64(wire, int64Data);
        break;
      case 8:
        name = r.string();
        break;
      case 9:
        raw = r.bytes();
        break;
      case 10:
        r.repeatedFloat64(wire, doubleData);
        break;
      case 11:
        r.repeatedInt64(wire, uint64Data);
        break;
      case 13: {
        const [k, v] = decodeStringPair(r.message('StringStringEntryProto'));
        external[k] = v;
        break;
      }
      case 14:
        dataLocation = r.varint();
        break;
      default:
        r.skip(wire);
    }
  }
  const subject = name || '(unnamed tensor)';
  if (dims.some((d) => d < 0 || !Number.isSafeInteger(d))) {
    throw new OnnxModelError('INVALID_GRAPH', `tensor '${subject}' has invalid dims [${dims.join(', ')}]`, {
      subject,
    });
  }
  const count = elementCount(dims);
  if (dataLocation === 1) {
    if (!external.location) {
      throw new OnnxModelError('INVALID_GRAPH', `tensor '${subject}' is external but names no location`, {
        subject,
      });
    }
    return {
      name,
      dataType: dataType as DataType,
      dims,
      data: fromNumbers(dataType, [], subject),
      external: {
        location: external.location,
        offset: Number(external.offset ?? 0),
        length: external.length === undefined ? -1 : Number(external.length),
      },
    };
  }
  let data;
  if (raw) data = fromRawBytes(dataType, raw, count, subject);
  else if (dataType === DataType.FLOAT) data = fromNumbers(dataType, floatData, subject);
  else if (dataType === DataType.DOUBLE) data = fromNumbers(dataType, doubleData, subject);
  else if (dataType === DataType.INT64) data = fromNumbers(dataType, int64Data, subject);
  else if (dataType === DataType.UINT64 || dataType === DataType.UINT32)
    data = fromNumbers(dataType, uint64Data, subject);
  else data = fromNumbers(dataType, int32Data, subject);
  if (data.length !== count) {
    throw new OnnxModelError(
      'INVALID_GRAPH',
      `tensor '${subject}' holds ${data.length} values but its shape [${dims.join(', ')}] needs ${count}`,
      { subject },
    );
  }
  return { name, dataType: dataType as DataType, dims, data };
}

function decodeValueInfo(r: WireReader): ValueInfo {
  const vi: ValueInfo = { name: '', elemType: DataType.UNDEFINED };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1) vi.name = r.string();
    else if (field === 2) {
      const tr = r.message('TypeProto');
      while (!tr.done) {
        const t = tr.tag();
        if (t.field === 1) decodeTensorType(tr.message('TypeProto.Tensor'), vi);
        else tr.skip(t.wire);
      }
    } else r.skip(wire);
  }
  return vi;
}

function decodeTensorType(r: WireReader, vi: ValueInfo): void {
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1) vi.elemType = r.varint() as DataType;
    else if (field === 2) {
      const shape: Dim[] = [];
      const sr = r.message('TensorShapeProto');
      while (!sr.done) {
        const t = sr.tag();
        if (t.field !== 1) {
          sr.skip(t.wire);
          continue;
        }
        const dr = sr.message('TensorShapeProto.Dimension');
        let dim: Dim = null;
        while (!dr.done) {
          const d = dr.tag();
          if (d.field === 1) dim = dr.int64();
          else if (d.field === 2) dim = dr.string();
          else dr.skip(d.wire);
        }
        shape.push(dim);
      }
      vi.shape = shape;
    } else r.skip(wire);
  }
}

/** The parts of a pack and the description file each part's folder holds. */
export const PACK_PARTS = {
  generator: { description: 'generator.json', format: 'soundedit-generator' },
  imageEncoder: { description: 'image-encoder.json', format: 'soundedit-image-encoder' },
  textEncoder: { description: 'text-encoder.json', format: 'soundedit-text-encoder' },
  audioEncoder: { description: 'audio-encoder.json', format: 'soundedit-audio-encoder' },
  identityEncoder: { description: 'identity-encoder.json', format: 'soundedit-identity-encoder' },
  /** Image -> renderer parameters; for measuring edits, never used to make them. */
  attributeProbe: { description: 'attribute-probe.json', format: 'soundedit-attribute-probe' },
} as const;

export type PackPart = keyof typeof PACK_PARTS;
export type RequiredPart = 'generator' | 'imageEncoder' | 'textEncoder' | 'audioEncoder';
export const REQUIRED_PARTS: readonly RequiredPart[] = [
  'generator',
  'imageEncoder',
  'textEncoder',
  'audioEncoder',
];

export const MANIFEST_FILE = 'manifest.json';
export const PACK_FORMAT = 'soundedit-pack';

export interface PackClass {
  name: string;
  prompts: string[];
  editPrompt?: string;
  /** The attribute probe's output that this class's edit raises (evaluation of edits). */
  attribute?: string;
}

export interface PackDefaults {
  steps: number;
  lr: number;
  lambdaId: number;
  lambdaSim: number;
  truncation: number;
  /** Inclusive 0-based W+ layer ranges for audio + text style mixing. */
  audioLayers?: [number, number];
  textLayers?: [number, number];
  /**
   * Where edits move the code by default: 'w+' (the paper) or 'w' (one shared step for every
   * layer). Generators trained only on broadcast codes leave their manifold under W+ edits.
   */
  space?: 'w+' | 'w';
}

export interface PackFileEntry {
  bytes: number;
  sha256: string;
}

export interface PackManifest {
  format: typeof PACK_FORMAT;
  version: 1;
  name: string;
  title: string;
  description?: string;
  embedDim: number;
  parts: Partial<Record<PackPart, { dir: string }>> & Record<RequiredPart, { dir: string }>;
  classes: PackClass[];
  defaults: PackDefaults;
  provenance: { createdBy: string; created: string; command?: string; sources?: string[]; notes?: string };
  licence: string;
  /** Every file, by '/'-separated path relative to the pack folder. */
  files: Record<string, PackFileEntry>;
}

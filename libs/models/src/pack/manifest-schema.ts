/**
 * JSON Schema (draft-07) of a pack's manifest.json. Kept as a TypeScript constant so the library
 * needs no JSON loader; `soundedit packs schema` prints it for other tools.
 */
export const PACK_MANIFEST_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://soundedit.dev/schemas/pack-manifest-v1.json',
  title: 'soundedit model pack manifest',
  description: 'manifest.json at the root of a pack folder: what the pack holds, where, and how it was made.',
  type: 'object',
  additionalProperties: false,
  required: [
    'format',
    'version',
    'name',
    'title',
    'embedDim',
    'parts',
    'classes',
    'defaults',
    'provenance',
    'licence',
    'files',
  ],
  properties: {
    format: {
      const: 'soundedit-pack',
    },
    version: {
      const: 1,
    },
    name: {
      description: 'Identifier used on command lines and in the API: lower-case words joined by hyphens.',
      type: 'string',
      pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
      maxLength: 64,
    },
    title: {
      type: 'string',
      minLength: 1,
      maxLength: 120,
    },
    description: {
      type: 'string',
      maxLength: 2000,
    },
    embedDim: {
      description: 'Size of the shared audio/text/image embedding space.',
      type: 'integer',
      minimum: 1,
      maximum: 65536,
    },
    parts: {
      type: 'object',
      additionalProperties: false,
      required: ['generator', 'imageEncoder', 'textEncoder', 'audioEncoder'],
      properties: {
        generator: {
          $ref: '#/definitions/part',
        },
        imageEncoder: {
          $ref: '#/definitions/part',
        },
        textEncoder: {
          $ref: '#/definitions/part',
        },
        audioEncoder: {
          $ref: '#/definitions/part',
        },
        identityEncoder: {
          $ref: '#/definitions/part',
        },
        attributeProbe: {
          $ref: '#/definitions/part',
        },
      },
    },
    classes: {
      description: 'The sound classes the pack knows, with the text prompts that describe each.',
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'prompts'],
        properties: {
          name: {
            type: 'string',
            pattern: '^[a-z0-9_]+$',
          },
          prompts: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'string',
              minLength: 1,
            },
          },
          editPrompt: {
            description: 'Text that describes the edit on an image (text guidance).',
            type: 'string',
          },
          attribute: {
            description: "The attribute probe's output that this class's edit raises.",
            type: 'string',
            minLength: 1,
          },
        },
      },
    },
    defaults: {
      type: 'object',
      additionalProperties: false,
      required: ['steps', 'lr', 'lambdaId', 'lambdaSim', 'truncation'],
      properties: {
        steps: {
          type: 'integer',
          minimum: 1,
          maximum: 100000,
        },
        lr: {
          type: 'number',
          exclusiveMinimum: 0,
        },
        lambdaId: {
          type: 'number',
          minimum: 0,
        },
        lambdaSim: {
          type: 'number',
          minimum: 0,
        },
        truncation: {
          type: 'number',
          minimum: 0,
          maximum: 1,
        },
        audioLayers: {
          $ref: '#/definitions/layerRange',
        },
        textLayers: {
          $ref: '#/definitions/layerRange',
        },
        space: {
          description: "Default edit space: 'w+' moves each style layer on its own, 'w' all layers by one step.",
          enum: ['w+', 'w'],
        },
      },
    },
    provenance: {
      type: 'object',
      required: ['createdBy', 'created'],
      properties: {
        createdBy: {
          type: 'string',
        },
        created: {
          description: 'ISO 8601 date-time (UTC).',
          type: 'string',
          pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$',
        },
        command: {
          type: 'string',
        },
        sources: {
          type: 'array',
          items: {
            type: 'string',
          },
        },
        notes: {
          type: 'string',
        },
      },
    },
    licence: {
      type: 'string',
      minLength: 1,
    },
    files: {
      description:
        "Every file of the pack (paths relative to the pack folder, '/'-separated) with its size and SHA-256.",
      type: 'object',
      minProperties: 1,
      propertyNames: {
        pattern: '^(?!/)(?!.*(^|/)\\.\\.?(/|$))[A-Za-z0-9._/-]+$',
      },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['bytes', 'sha256'],
        properties: {
          bytes: {
            type: 'integer',
            minimum: 0,
          },
          sha256: {
            type: 'string',
            pattern: '^[0-9a-f]{64}$',
          },
        },
      },
    },
  },
  definitions: {
    part: {
      type: 'object',
      additionalProperties: false,
      required: ['dir'],
      properties: {
        dir: {
          description: "Sub-folder holding the part's description JSON and graphs.",
          type: 'string',
          pattern: '^[A-Za-z0-9._-]+$',
        },
      },
    },
    layerRange: {
      description: 'Inclusive 0-based range of W+ style layers.',
      type: 'array',
      items: {
        type: 'integer',
        minimum: 0,
      },
      minItems: 2,
      maxItems: 2,
    },
  },
} as const;

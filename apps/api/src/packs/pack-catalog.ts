import { Generator, partDir } from '@soundedit/core';
import type { Pack } from '@soundedit/models';

export interface CatalogPack {
  pack: Pack;
  resolution: number;
  styleLayers: number;
}

/** The packs this API offers, with what clients need to know of their generators. */
export class PackCatalog {
  private constructor(readonly entries: readonly CatalogPack[]) {}

  static async of(packs: readonly Pack[]): Promise<PackCatalog> {
    const entries: CatalogPack[] = [];
    for (const pack of packs) {
      const d = await Generator.describe(partDir(pack, 'generator'));
      entries.push({ pack, resolution: d.resolution, styleLayers: d.styleLayers });
    }
    return new PackCatalog(entries);
  }

  get(name: string): CatalogPack | undefined {
    return this.entries.find((e) => e.pack.manifest.name === name);
  }

  get first(): CatalogPack | undefined {
    return this.entries[0];
  }
}

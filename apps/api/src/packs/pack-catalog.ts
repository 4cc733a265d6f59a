import { encodePicturePng, Generator, partDir } from '@soundedit/core';
import type { Pack } from '@soundedit/models';

export interface CatalogPack {
  pack: Pack;
  resolution: number;
  styleLayers: number;
}

/** The packs this API offers, with what clients need to know of their generators. */
export class PackCatalog {
  private readonly generators = new Map<string, Promise<Generator>>();

  private constructor(readonly entries: readonly CatalogPack[]) {}

  /**
   * The PNG of a seed's picture, exactly the source an edit from that seed starts from (same
   * sampling as EditEngine). Generators load on first use and stay: a preview is one small forward.
   */
  async preview(entry: CatalogPack, seed: number, truncation: number, scale = 4): Promise<Uint8Array> {
    const name = entry.pack.manifest.name;
    let generator = this.generators.get(name);
    if (!generator) {
      generator = Generator.load(partDir(entry.pack, 'generator'), { threads: 1 });
      this.generators.set(name, generator);
      generator.catch(() => this.generators.delete(name));
    }
    const { image } = await (await generator).sample(seed, truncation);
    return encodePicturePng(image, entry.resolution, scale);
  }

  /** Releases the preview generators. */
  async release(): Promise<void> {
    const loaded = await Promise.allSettled(this.generators.values());
    this.generators.clear();
    await Promise.all(loaded.map((g) => (g.status === 'fulfilled' ? g.value.release() : undefined)));
  }

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

/**
 * A synthetic product catalogue for the simulator: packaged goods in brand × kind × size families
 * (so look-alike sizes exist, the hard case for wrong-scan checks) plus loose weighed produce.
 */
import type { CatalogueEntry } from '../../src/core/fusion/config.ts';
import type { SizeClass } from '../../src/core/perception/events.ts';
import type { Rng } from './rng.ts';

export interface Product {
  gtin: string;
  name: string;
  /** Minor units; per kg for weighed produce. */
  price: number;
  sizeClass: SizeClass;
  weighed: boolean;
  /** Brand + kind: products sharing it are look-alike sizes of each other. */
  family: string;
}

const BRANDS = ['康师傅', '农夫山泉', '伊利', '蒙牛', '统一', '旺旺', '乐事', '奥利奥', '青岛', '怡宝'];
const KINDS: readonly { kind: string; sizes: readonly [string, SizeClass, number][] }[] = [
  {
    kind: '矿泉水',
    sizes: [
      ['550ml', 'small', 200],
      ['1.5L', 'medium', 450],
      ['5L', 'large', 1200],
    ],
  },
  {
    kind: '纯牛奶',
    sizes: [
      ['250ml', 'small', 350],
      ['1L', 'medium', 1250],
      ['12盒', 'large', 5990],
    ],
  },
  {
    kind: '红烧牛肉面',
    sizes: [
      ['单包', 'small', 450],
      ['5包', 'medium', 1990],
    ],
  },
  {
    kind: '薯片',
    sizes: [
      ['70g', 'small', 750],
      ['135g', 'medium', 1290],
    ],
  },
  {
    kind: '啤酒',
    sizes: [
      ['330ml', 'small', 500],
      ['6罐', 'medium', 2790],
      ['24罐', 'large', 9900],
    ],
  },
  {
    kind: '饼干',
    sizes: [
      ['100g', 'small', 690],
      ['388g', 'medium', 2190],
    ],
  },
  {
    kind: '绿茶',
    sizes: [
      ['500ml', 'small', 350],
      ['1L', 'medium', 590],
    ],
  },
  {
    kind: '酸奶',
    sizes: [
      ['200g', 'small', 590],
      ['8杯', 'medium', 2990],
    ],
  },
];
const PRODUCE: readonly [string, number][] = [
  ['苹果', 1290],
  ['香蕉', 690],
  ['西红柿', 790],
  ['土豆', 390],
  ['黄瓜', 590],
  ['橙子', 990],
  ['葡萄', 1990],
  ['西兰花', 1190],
];

function ean13(body12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body12[11 - i]) * (i % 2 === 0 ? 3 : 1);
  return body12 + String((10 - (sum % 10)) % 10);
}

export function buildCatalogue(rng: Rng): Product[] {
  const products: Product[] = [];
  let n = 0;
  const gtin = (): string => ean13(`690${String(100_000_000 + n++ * 7919).slice(-9)}`);
  for (const brand of BRANDS) {
    for (const { kind, sizes } of KINDS) {
      // Not every brand makes every kind; keep the families of the ones it does.
      if (!rng.chance(0.6)) continue;
      for (const [size, sizeClass, price] of sizes) {
        const jitter = Math.round(price * rng.uniform(0.85, 1.15));
        products.push({
          gtin: gtin(),
          name: `${brand}${kind}${size}`,
          price: jitter,
          sizeClass,
          weighed: false,
          family: `${brand}${kind}`,
        });
      }
    }
  }
  for (const [name, price] of PRODUCE) {
    products.push({
      gtin: ean13(`2000000${String(n++).padStart(5, '0')}`),
      name,
      price,
      sizeClass: 'medium',
      weighed: true,
      family: name,
    });
  }
  return products;
}

export class Catalogue {
  readonly packaged: Product[];
  readonly produce: Product[];
  private readonly byGtin = new Map<string, Product>();
  private readonly families = new Map<string, Product[]>();

  constructor(readonly products: readonly Product[]) {
    this.packaged = products.filter((p) => !p.weighed);
    this.produce = products.filter((p) => p.weighed);
    for (const p of products) {
      this.byGtin.set(p.gtin, p);
      this.families.set(p.family, [...(this.families.get(p.family) ?? []), p]);
    }
  }

  get(gtin: string): Product | undefined {
    return this.byGtin.get(gtin);
  }

  /** Other sizes of the same brand and kind. */
  lookAlikes(p: Product): Product[] {
    return (this.families.get(p.family) ?? []).filter((o) => o.gtin !== p.gtin);
  }

  sizeClassOf = (gtin: string): SizeClass | undefined => this.byGtin.get(gtin)?.sizeClass;

  /** The item master as the engine sees it (name, size class, price). */
  productOf = (gtin: string): CatalogueEntry | undefined => {
    const p = this.byGtin.get(gtin);
    return p ? { name: p.name, sizeClass: p.sizeClass, unitPrice: p.price } : undefined;
  };
}

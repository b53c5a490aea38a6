/**
 * The demo POS catalogue: what the stand-in POS rings up and what wedge scans resolve against in
 * demo mode. The GTINs are made up but valid (Chinese 690-699 prefixes, correct check digits), so
 * they may coincide with real products; nothing here describes a real item or price.
 *
 * Weighed items carry a 6-digit PLU for scale labels in the default layout (see
 * ../scan/variableMeasure.ts): PLUs 5xxxxx-9xxxxx are printed on weight labels (codes 25-29),
 * PLUs 0xxxxx-4xxxxx on price labels (codes 20-24), as the deli counter does. Their own GTIN only
 * identifies them; scanning it without a label cannot charge a weight.
 */
import type { Product } from './lookup.ts';
import { findProductByGtin, findProductByPlu } from './lookup.ts';

export type { Product } from './lookup.ts';

function unit(gtin: string, name: string, nameEn: string, unitPrice: number, category: string): Product {
  return Object.freeze({ gtin, name, nameEn, unitPrice, soldBy: 'unit', category });
}

/** `pricePerKg` in fen. */
function weighed(
  gtin: string,
  name: string,
  nameEn: string,
  pricePerKg: number,
  category: string,
  plu: string,
): Product {
  return Object.freeze({ gtin, name, nameEn, unitPrice: pricePerKg, soldBy: 'weight', plu, category });
}

// The first two are sold by the unit: the end-to-end demo rings them up and scans the first.
export const DEMO_CATALOGUE: readonly Product[] = Object.freeze([
  unit('6901234567892', '矿泉水 550ml', 'Mineral water 550 ml', 200, 'beverages'),
  unit('6900001000112', '可乐 330ml', 'Cola 330 ml can', 300, 'beverages'),
  unit('6900001000280', '可乐 330ml×6罐', 'Cola 330 ml, 6-pack', 1650, 'beverages'),
  unit('6900001000358', '绿茶饮料 500ml', 'Green tea drink 500 ml', 350, 'beverages'),
  unit('6923456001046', '橙汁 1L', 'Orange juice 1 L', 1290, 'beverages'),
  unit('6923456001114', '纯牛奶 250ml', 'Whole milk 250 ml', 350, 'dairy'),
  unit('6923456001282', '纯牛奶 250ml×12盒', 'Whole milk 250 ml, case of 12', 3990, 'dairy'),
  unit('6931112000173', '原味酸奶 200g', 'Plain yogurt 200 g', 590, 'dairy'),
  unit('6931112000241', '豆浆 1L', 'Soy milk 1 L', 890, 'dairy'),
  unit('6931112000319', '鲜鸡蛋 10枚', 'Fresh eggs, 10', 1590, 'dairy'),
  unit('6945567000121', '原味薯片 70g', 'Potato chips, original 70 g', 750, 'snacks'),
  unit('6945567000299', '苏打饼干 400g', 'Soda crackers 400 g', 1180, 'snacks'),
  unit('6945567000367', '牛奶巧克力 100g', 'Milk chocolate 100 g', 1590, 'snacks'),
  unit('6945567000435', '混合坚果 200g', 'Mixed nuts 200 g', 3290, 'snacks'),
  unit('6958880000167', '红烧牛肉面', 'Braised beef instant noodles', 450, 'pantry'),
  unit('6958880000235', '红烧牛肉面 五连包', 'Braised beef instant noodles, 5-pack', 1990, 'pantry'),
  unit('6958880000303', '东北大米 5kg', 'Northeast rice 5 kg', 4990, 'pantry'),
  unit('6960003000152', '挂面 1kg', 'Dried wheat noodles 1 kg', 890, 'pantry'),
  unit('6960003000220', '花生油 1.8L', 'Peanut oil 1.8 L', 4590, 'pantry'),
  unit('6960003000398', '生抽酱油 500ml', 'Light soy sauce 500 ml', 1150, 'pantry'),
  unit('6972468000110', '全麦面包 400g', 'Wholemeal bread 400 g', 1290, 'bakery'),
  unit('6972468000288', '牛角包', 'Croissant', 650, 'bakery'),
  unit('6972468000356', '抽纸 3包装', 'Facial tissues, 3-pack', 1590, 'household'),
  unit('6972468000424', '洗洁精 1kg', 'Dishwashing liquid 1 kg', 1290, 'household'),
  unit('6987654000188', '洗衣液 2kg', 'Laundry liquid 2 kg', 3990, 'household'),
  unit('6987654000256', '5号电池 4节', 'AA batteries, 4-pack', 2490, 'household'),
  unit('6991002000133', '牙膏 120g', 'Toothpaste 120 g', 1290, 'personalCare'),
  unit('6991002000201', '速冻水饺 1kg', 'Frozen dumplings 1 kg', 2590, 'frozen'),
  unit('6991002000379', '冰淇淋甜筒', 'Ice cream cone', 600, 'frozen'),
  weighed('6905009000119', '香蕉', 'Bananas', 698, 'produce', '500101'),
  weighed('6905009000287', '富士苹果', 'Fuji apples', 1298, 'produce', '500102'),
  weighed('6905009000355', '西红柿', 'Tomatoes', 598, 'produce', '500103'),
  weighed('6905009000423', '黄瓜', 'Cucumbers', 498, 'produce', '500104'),
  weighed('6905009000591', '土豆', 'Potatoes', 398, 'produce', '500105'),
  weighed('6905009000669', '胡萝卜', 'Carrots', 358, 'produce', '500106'),
  weighed('6905009000737', '猪里脊', 'Pork tenderloin', 3598, 'meat', '600201'),
  weighed('6905009000805', '卤牛肉', 'Braised beef (deli)', 11800, 'deli', '100301'),
]);

export function findByGtin(code: string): Product | undefined {
  return findProductByGtin(DEMO_CATALOGUE, code);
}

export function findByPlu(plu: string): Product | undefined {
  return findProductByPlu(DEMO_CATALOGUE, plu);
}

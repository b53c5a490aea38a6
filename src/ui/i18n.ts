import type { Lang } from '../config/kioskConfig.ts';

const STRINGS = {
  title: { 'zh-CN': '自助收银', en: 'Self-checkout' },
  lane: { 'zh-CN': '收银台', en: 'Lane' },
  mirrorLabel: { 'zh-CN': '实时画面:这是您的扫描区', en: 'Live view: this is your scanning area' },
  yourItems: { 'zh-CN': '您的商品', en: 'Your items' },
  noItems: { 'zh-CN': '请扫描第一件商品', en: 'Scan your first item' },
  total: { 'zh-CN': '合计', en: 'Total' },
  items: { 'zh-CN': '件', en: 'items' },
  removed: { 'zh-CN': '已删除', en: 'removed' },
  member: { 'zh-CN': '会员', en: 'Member' },
  cameraStarting: { 'zh-CN': '正在打开摄像头…', en: 'Starting the camera…' },
  cameraDenied: {
    'zh-CN': '摄像头未获授权，实时画面不可用。结账不受影响。',
    en: 'Camera access is not allowed, so the live view is off. You can still check out.',
  },
  cameraAbsent: {
    'zh-CN': '未检测到摄像头，正在等待连接。结账不受影响。',
    en: 'No camera found. Waiting for one. You can still check out.',
  },
  cameraLost: { 'zh-CN': '摄像头已断开，正在重新连接…', en: 'The camera was disconnected. Reconnecting…' },
  cameraError: { 'zh-CN': '摄像头出错，正在重试。', en: 'Camera problem. Retrying.' },
  confirm: { 'zh-CN': '确认', en: 'Confirm' },
  keepItem: { 'zh-CN': '不删除，保留商品', en: 'No, keep the item' },
  keepQty: { 'zh-CN': '不减少，恢复数量', en: 'No, keep the quantity' },
  keepOrder: { 'zh-CN': '不取消，继续购物', en: 'No, keep my order' },
  confirmRemove: { 'zh-CN': '是的，删除', en: 'Yes, remove it' },
  confirmReduce: { 'zh-CN': '是的，减少', en: 'Yes, reduce it' },
  confirmCancel: { 'zh-CN': '是的，取消订单', en: 'Yes, cancel the order' },
  retryPayment: { 'zh-CN': '知道了，重新支付', en: 'OK, try paying again' },
  callGuide: { 'zh-CN': '呼叫工作人员', en: 'Call a staff member' },
  moreTime: { 'zh-CN': '需要更多时间', en: 'I need more time' },
  promptItemVoided: { 'zh-CN': '您删除了一件商品', en: 'You removed an item' },
  promptQuantityReduced: { 'zh-CN': '您减少了商品数量', en: 'You reduced a quantity' },
  promptTransactionCancelled: { 'zh-CN': '您取消了整笔订单', en: 'You cancelled the whole order' },
  promptPaymentFailed: { 'zh-CN': '支付未成功', en: 'The payment did not go through' },
  promptAsk: { 'zh-CN': '请确认后继续。', en: 'Please confirm to continue.' },
  audioFailed: {
    'zh-CN': '语音提示无法播放，请阅读屏幕上的文字。',
    en: 'The voice prompt could not play. Please read the screen.',
  },
  audioPlaying: { 'zh-CN': '正在播放语音提示', en: 'Playing voice prompt' },
  secondsLeft: { 'zh-CN': '秒后呼叫工作人员', en: 's until a staff member is called' },
  guideCalled: { 'zh-CN': '已呼叫工作人员，请稍候。', en: 'A staff member is on the way. Please wait.' },
  staffResolved: { 'zh-CN': '工作人员:已处理', en: 'Staff: resolved' },
  needHelp: { 'zh-CN': '需要帮助', en: 'Help' },
  settings: { 'zh-CN': '设置', en: 'Settings' },
  textSize: { 'zh-CN': '字号', en: 'Text size' },
  language: { 'zh-CN': 'English', en: '中文' },
  camera: { 'zh-CN': '摄像头', en: 'Camera' },
  close: { 'zh-CN': '关闭', en: 'Close' },
  demoPos: { 'zh-CN': '演示收银机', en: 'Demo POS' },
  offline: { 'zh-CN': '与门店服务器断开，正在重连', en: 'Store server unreachable, reconnecting' },
  diagnostics: { 'zh-CN': '收银数据提示', en: 'POS data notices' },
  dismiss: { 'zh-CN': '知道了', en: 'Dismiss' },
  updateWaiting: {
    'zh-CN': '新版本已就绪，将在本笔交易结束后更新',
    en: 'A new version is ready and will be applied after this transaction',
  },
  nudgeTitle: { 'zh-CN': '这件商品扫描了吗？', en: 'Did this item scan?' },
  nudgeBody: { 'zh-CN': '如果没有，请再扫描一次。', en: 'Please scan it again if not.' },
  nudgeBodyReduction: {
    'zh-CN': '如果您删除了这件商品，请把它从装袋区拿出来。',
    en: 'If you removed this item from your order, please take it out of the bagging area.',
  },
  nudgeReplay: { 'zh-CN': '刚才几秒的扫描画面回放', en: 'Replay of the last few seconds at the scanner' },
  nudgeNoReplay: { 'zh-CN': '回放不可用', en: 'Replay not available' },
  nudgeContinue: { 'zh-CN': '已扫描，继续', en: 'It scanned / Continue' },
  nudgeScanAgain: { 'zh-CN': '重新扫描', en: 'Scan again' },
  nudgeGuideTitle: { 'zh-CN': '工作人员马上来帮您核对', en: 'A staff member will help you check' },
  nudgeGuideBody: { 'zh-CN': '您可以继续扫描。', en: 'You can keep scanning meanwhile.' },
  state_idle: { 'zh-CN': '空闲', en: 'Open' },
  state_scanning: { 'zh-CN': '扫描中', en: 'Scanning' },
  state_awaitingConfirmation: { 'zh-CN': '等待确认', en: 'Waiting for confirmation' },
  state_assistanceRequested: { 'zh-CN': '需要协助', en: 'Assistance needed' },
  state_suspectedAnomaly: { 'zh-CN': '需要核对', en: 'Check needed' },
  state_paymentFailed: { 'zh-CN': '支付失败', en: 'Payment failed' },
  state_locked: { 'zh-CN': '已锁定', en: 'Locked' },
  state_offline: { 'zh-CN': '离线', en: 'Offline' },
} as const;

export type StringKey = keyof typeof STRINGS;

export function t(lang: Lang, key: StringKey): string {
  return STRINGS[key][lang];
}

/** Minor units to a display price; the kiosk is configured per country, CNY by default. */
export function formatMoney(minor: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'zh-CN', {
    style: 'currency',
    currency: 'CNY',
  }).format(minor / 100);
}

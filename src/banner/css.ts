/**
 * The banner's styles, injected by banner.js as one <style> (a separate file
 * would cost a request and block nothing we need; it is small).
 * Default colours: text #1d2327 on #ffffff is 15.6:1, #ffffff on #1d4ed8 is 6.7:1.
 */
export const CSS =
  '.cy{--cy-bg:#fff;--cy-fg:#1d2327;--cy-pr:#1d4ed8;--cy-pt:#fff;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--cy-fg);text-align:start}' +
  '.cy *{box-sizing:border-box;letter-spacing:normal}' +
  '.cy h2{font-family:inherit;font-size:1.25em;font-weight:700;line-height:1.3;margin:0 0 4px;color:inherit;text-transform:none}' +
  '.cy p{margin:0}' +
  '.cy a{color:inherit;text-decoration:underline}' +
  '.cy button{font:inherit;font-weight:600;cursor:pointer;border-radius:6px;margin:0;text-transform:none}' +
  '.cy :focus-visible{outline:3px solid var(--cy-fg);outline-offset:2px}' +
  '.cy-b,.cy-pc{background:var(--cy-bg);color:var(--cy-fg);box-shadow:0 2px 16px rgba(0,0,0,.35);overflow:auto;overscroll-behavior:contain}' +
  '.cy-b{position:fixed;z-index:2147483645;left:0;right:0;bottom:0;max-height:90vh;padding:16px 20px;display:flex;flex-wrap:wrap;align-items:center;gap:12px 24px}' +
  '.cy-b>div:first-child{flex:1 1 300px}' +
  '.cy-top{top:0;bottom:auto}' +
  '.cy-box,.cy-modal,.cy-center{display:block;width:min(440px,calc(100% - 16px));border-radius:8px;left:auto;right:8px;bottom:8px}' +
  '.cy-box.cy-bottom-left{right:auto;left:8px}' +
  '.cy-box.cy-top{top:8px;bottom:auto}' +
  '.cy-modal,.cy-center{inset:50% auto auto 50%;transform:translate(-50%,-50%)}' +
  '.cy-box .cy-btns,.cy-modal .cy-btns,.cy-center .cy-btns{margin-top:12px}' +
  '.cy-btns{display:flex;flex-wrap:wrap;gap:8px}' +
  '.cy-btns button{flex:1 1 auto;min-height:44px;padding:8px 16px;border:2px solid var(--cy-pr);background:var(--cy-pr);color:var(--cy-pt)}' +
  '.cy-ov{position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.5);display:flex;align-items:center;justify-content:center;padding:8px}' +
  '.cy [hidden]{display:none}' +
  '.cy-pc{width:min(600px,100%);max-height:100%;border-radius:8px;padding:20px}' +
  '.cy-h,.cy-row{display:flex;justify-content:space-between;align-items:center;gap:12px}' +
  '.cy-h{margin-bottom:8px}' +
  '.cy-x{background:none;border:0;color:inherit;font-size:28px;line-height:1;min-width:44px;min-height:44px}' +
  '.cy-cat{border-top:1px solid #8c8f94;padding:12px 0}' +
  '.cy-cat label{font-weight:600;flex:1}' +
  '.cy-cat p{margin-top:4px}' +
  '.cy-cat span{font-size:.875em}' +
  '.cy-sw{appearance:none;-webkit-appearance:none;position:relative;flex:none;width:48px;height:28px;border-radius:14px;border:2px solid var(--cy-fg);background:var(--cy-bg);margin:0;cursor:pointer}' +
  '.cy-sw:before{content:"";position:absolute;top:3px;inset-inline-start:3px;width:18px;height:18px;border-radius:50%;background:var(--cy-fg);transition:transform .2s}' +
  '.cy-sw:checked{background:var(--cy-pr);border-color:var(--cy-pr)}' +
  '.cy-sw:checked:before{background:var(--cy-pt);transform:translateX(20px)}' +
  '[dir=rtl] .cy-sw:checked:before{transform:translateX(-20px)}' +
  '.cy-sw:disabled{cursor:not-allowed}' +
  '.cy-fb{position:fixed;z-index:2147483644;bottom:.75em;inset-inline-start:.75em;width:3em;height:3em;padding:.625em;border-radius:50%;border:2px solid var(--cy-pt);background:var(--cy-pr);color:var(--cy-pt);box-shadow:0 1px 6px rgba(0,0,0,.35)}' +
  // The display-preferences opener (also .cy-fb): "left" is the start side (mirrored right to left), above the settings button.
  '.cy-dp-bottom-right,.cy-dp-middle-right{inset-inline:auto .75em}' +
  '.cy-dp-bottom-left{bottom:4.5em}' +
  '[class*=cy-dp-mid]{bottom:50%}' +
  '@media (prefers-reduced-motion:reduce){.cy *{transition:none!important;animation:none!important}}';

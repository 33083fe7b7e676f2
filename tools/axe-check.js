// Accessibility check of tpcheck's HTML pages with axe-core in headless Chromium (by hand, not in CI).
// Set up once in a temporary folder:  npm init -y && npm i axe-core puppeteer-core
// Run:  node axe-check.js /absolute/path/perechen.html [/absolute/path/changes.html ...]
// Prints, per page and width (320 and 1280 px), the axe violations, the checks left for review
// and the document's scroll width against the window's (equal = no horizontal scrolling).
const puppeteer = require('puppeteer-core');
const fs = require('fs');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
(async () => {
  const browser = await puppeteer.launch({executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'],
    userDataDir: require('path').join(require('os').tmpdir(), 'tpcheck-axe-profile')});
  for (const file of process.argv.slice(2)) {
    for (const width of [320, 1280]) {
      const page = await browser.newPage();
      await page.setViewport({width, height: 900});
      await page.goto('file://' + file);
      await page.addScriptTag({content: axeSource});
      const result = await page.evaluate(async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','best-practice']}}));
      const scroll = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      console.log(file, width, 'axe', require('axe-core').version, 'violations:', result.violations.length, 'passes:', result.passes.length, 'incomplete:', result.incomplete.map(i=>i.id).join(','), 'scrollWidth/innerWidth:', scroll.join('/'));
      for (const v of result.incomplete) console.log('  incomplete', v.id, v.nodes.length, v.nodes.slice(0,2).map(n=>n.target.join(' ')+' :: '+(n.any[0]||{}).message).join(' | '));
      for (const v of result.violations) console.log('  ', v.id, v.impact, v.help, v.nodes.slice(0,3).map(n=>n.target.join(' ')).join(' | '));
      await page.close();
    }
  }
  await browser.close();
})();

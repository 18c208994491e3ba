/** The report's stylesheet (system fonts, contrast at least 4.5:1, visible focus). */
export const HTML_STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1f24;background:#fff;margin:0}
main{max-width:1200px;margin:0 auto;padding:16px 24px}
h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:20px 0 8px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px}
.verdict{font-size:18px;font-weight:600;padding:8px 12px;border-radius:4px}
.verdict.bad{background:#fdecea;color:#7a1020}.verdict.good{background:#e6f4ea;color:#0f5323}
.facts{color:#3d4650}
.charts{display:flex;flex-wrap:wrap;gap:16px}
.chart{margin:0;border:1px solid #d0d7de;border-radius:4px;padding:8px}
.chart figcaption{font-weight:600;margin-bottom:4px}.chart svg text{font-size:12px;fill:#1b1f24}
.more{margin:0;color:#3d4650;font-size:12px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d0d7de;padding:4px 6px;text-align:left;vertical-align:top}
td.num{text-align:right}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:#0b4f9c}
th button[aria-sort]::after{content:attr(data-arrow)}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:end;margin-bottom:8px}
.filters label{display:flex;flex-direction:column;font-size:12px;color:#3d4650}
select,input,button{font:inherit}
:focus-visible{outline:3px solid #0b4f9c;outline-offset:2px}
.sev{display:inline-block;color:#fff;border-radius:3px;padding:0 6px;font-size:12px}
.sev-critical{background:#a51d2d}.sev-high{background:#b54708}.sev-medium{background:#8a6100}.sev-low{background:#1d5fa6}.sev-informational{background:#4a5563}
.expand{background:none;border:1px solid #8c959f;border-radius:3px;cursor:pointer;padding:0 6px}
tr.detail td{background:#f6f8fa}.detail dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:4px 0 10px}
.detail dt{font-weight:600;color:#3d4650}.detail dd{margin:0;word-break:break-word}
code{font-size:12px}
`;

/**
 * The report's script: reads the embedded JSON, filters, sorts, pages (200 rows at a time, so 10,000 findings
 * stay responsive) and expands rows. No network, no eval; text goes in through textContent only.
 */
export const HTML_SCRIPT = `
(function(){
var data=JSON.parse(document.getElementById('ward-data').textContent);
var rows=data.rows,RANK={critical:0,high:1,medium:2,low:3,informational:4};
var sortKey='s',sortDir=1,limit=200,open={};
var $=function(id){return document.getElementById(id)};
function el(tag,text,cls){var e=document.createElement(tag);if(text!=null)e.textContent=text;if(cls)e.className=cls;return e}
function matches(r){
 var s=$('f-sev').value,ru=$('f-rule').value,a=$('f-acct').value,t=$('f-text').value.toLowerCase();
 if(s&&r.s!==s)return false;if(ru&&r.r!==ru)return false;if(a&&r.a!==a)return false;
 if(t){var hay=[r.i,r.n||'',r.t,r.r,r.a,r.g].concat(r.f.map(function(f){return f.c+' '+f.m})).join(' ').toLowerCase();if(hay.indexOf(t)<0)return false}
 return true}
function cmp(a,b){var x=sortKey==='s'?RANK[a.s]:a[sortKey],y=sortKey==='s'?RANK[b.s]:b[sortKey];return (x<y?-1:x>y?1:0)*sortDir}
function detail(r){
 var tr=el('tr',null,'detail'),td=el('td');td.colSpan=7;
 r.f.forEach(function(f){var dl=el('dl');
  function add(k,v,node){dl.appendChild(el('dt',k));var dd=el('dd',node?null:v);if(node)dd.appendChild(node);dl.appendChild(dd)}
  add('Finding',f.c+' ('+f.s+')');add('Message',f.m);add('Path',f.p||'-');add('Controls',f.x.join(', ')||'-');
  if(f.u)add('Suppressed',f.u);td.appendChild(dl)});
 var dl=el('dl');function add2(k,v,node){dl.appendChild(el('dt',k));var dd=el('dd',node?null:v);if(node)dd.appendChild(node);dl.appendChild(dd)}
 add2('ARN',r.n||'-');add2('Item',r.e||'-');
 if(r.b){var a=el('a',r.b+' (playbook)');a.href=r.h.replace(/rules\\/[^/]+\\/README\\.md$/,'runbooks/'+r.b+'.md');add2('Remediation',null,a)}else add2('Remediation','no runbook: see the rule README');
 var h=el('a','rule README');h.href=r.h;add2('Rule',null,h);if(r.u)add2('Suppression',r.u);
 td.appendChild(dl);tr.appendChild(td);return tr}
function render(){
 var list=rows.filter(matches).sort(cmp),body=$('rows');body.textContent='';
 list.slice(0,limit).forEach(function(r,i){
  var key=r.r+'|'+r.a+'|'+r.g+'|'+r.t+'|'+r.i,tr=el('tr');tr.setAttribute('data-row','');tr.setAttribute('data-severity',r.s);
  var sev=el('td');sev.appendChild(el('span',r.s,'sev sev-'+r.s));tr.appendChild(sev);
  [r.r,r.t,r.i,r.a,r.g].forEach(function(v){tr.appendChild(el('td',v))});
  var fd=el('td'),b=el('button',(open[key]?'Hide ':'Show ')+r.f.length+' finding'+(r.f.length===1?'':'s'),'expand');
  b.setAttribute('aria-expanded',open[key]?'true':'false');b.onclick=function(){open[key]=!open[key];render();};
  fd.appendChild(b);tr.appendChild(fd);body.appendChild(tr);if(open[key])body.appendChild(detail(r))});
 $('shown').textContent=list.length+' of '+rows.length+' non-compliant resources shown';
 $('shown').setAttribute('data-shown',String(list.length));
 var p=$('pager');p.textContent='';if(list.length>limit){var more=el('button','Show '+Math.min(200,list.length-limit)+' more');more.onclick=function(){limit+=200;render()};p.appendChild(more)}
 document.querySelectorAll('th button').forEach(function(b){if(b.dataset.sort===sortKey){b.setAttribute('aria-sort',sortDir>0?'ascending':'descending');b.dataset.arrow=sortDir>0?' ▲':' ▼'}else{b.removeAttribute('aria-sort')}})}
document.querySelectorAll('th button').forEach(function(b){b.onclick=function(){if(sortKey===b.dataset.sort)sortDir=-sortDir;else{sortKey=b.dataset.sort;sortDir=1}render()}});
['f-sev','f-rule','f-acct','f-text'].forEach(function(id){$(id).addEventListener('input',function(){limit=200;render()})});
render()})();
`;

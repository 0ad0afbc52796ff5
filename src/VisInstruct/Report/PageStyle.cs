namespace VisInstruct.Report;

/// <summary>The page's style sheet, inlined.</summary>
internal static class PageStyle
{
    public const string Text = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
header.top { background: #1d2b45; color: #fff; padding: 14px 24px; }
header.top h1 { margin: 0; font-size: 20px; }
header.top p { margin: 4px 0 0; opacity: .85; }
nav { padding: 6px 24px; background: #e8ecf3; position: sticky; top: 0; z-index: 2; }
nav a { margin-right: 14px; color: #1d2b45; }
main { padding: 8px 24px 40px; }
section { background: #fff; border: 1px solid #dde2ea; border-radius: 6px; padding: 12px 16px; margin: 14px 0; }
h2 { font-size: 17px; margin: 2px 0 10px; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { border-bottom: 1px solid #e6e9ef; padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr[data-group] { cursor: pointer; }
tr[data-group]:hover { background: #eef3fb; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.charts svg { max-width: 100%; height: auto; }
.share { display: inline-block; height: 9px; background: #3b6fb6; vertical-align: middle; }
.muted { color: #667; }
.controls { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; margin-bottom: 10px; }
.controls input { width: 260px; padding: 4px 6px; }
article.sample { border: 1px solid #dde2ea; border-radius: 6px; padding: 8px 10px; margin: 8px 0; background: #fcfcfd; }
article.sample header { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.tag { background: #e8ecf3; border-radius: 3px; padding: 0 6px; font-size: 12px; }
.where { color: #667; font-size: 12px; }
.pics { display: flex; gap: 10px; flex-wrap: wrap; margin: 6px 0; }
figure { margin: 0; max-width: 420px; }
figure img { max-width: 160px; max-height: 160px; border: 1px solid #ccd; display: block; }
figcaption { font-size: 11px; color: #667; word-break: break-all; }
.noimage { width: 120px; height: 60px; border: 1px dashed #bbc; color: #889; font-size: 11px; display: flex;
  align-items: center; justify-content: center; }
dl.prov { font-size: 12px; margin: 4px 0; display: grid; grid-template-columns: auto 1fr; gap: 0 8px; }
dl.prov dt { color: #667; }
dl.prov dd { margin: 0; }
.turn { display: flex; gap: 8px; margin: 3px 0; }
.turn .role { min-width: 48px; font-size: 12px; color: #667; }
.turn .text { white-space: pre-wrap; }
.turn.q .text { font-weight: 600; }
.filter-example { max-width: 200px; }
.filter-example img { max-width: 160px; max-height: 160px; border: 1px solid #ccd; }
""";
}

package report

import (
	"fmt"
	"html/template"
	"io"

	"github.com/dustin/go-humanize"
)

// Chart geometry in SVG user units.
const (
	barRow   = 22  // height of one bucket's row
	barLeft  = 130 // where bars start, after the labels
	barWidth = 420 // width of the longest bar
)

type htmlBar struct {
	Label, Count string
	Y, W, TextY  int
	Pct          float64
}

type htmlChart struct {
	Key, Title string
	Height     int
	TextX      int
	Bars       []htmlBar
}

type htmlTable struct {
	Title string
	Rows  []Tally
}

// WriteHTML writes the report as one self-contained HTML page: styles
// inline, charts as inline SVG, no scripts, fonts, images or links to
// anything outside the page, so it can be mailed or archived as is.
func (r *Report) WriteHTML(w io.Writer) error {
	var charts []htmlChart
	for _, c := range r.charts() {
		hc := htmlChart{Key: c.Key, Title: c.Title,
			TextX: barLeft + barWidth + 8}
		lo, hi := c.H.span()
		top := int64(1)
		for _, v := range c.H.Counts {
			top = max(top, v)
		}
		for i := lo; i < hi; i++ {
			v := c.H.Counts[i]
			y := (i - lo) * barRow
			hc.Bars = append(hc.Bars, htmlBar{
				Label: c.H.Label(i),
				Count: humanize.Comma(v),
				Pct:   percent(v, c.H.Total),
				Y:     y + 3,
				TextY: y + 16,
				W:     int(v * barWidth / top),
			})
		}
		hc.Height = max(len(hc.Bars), 1) * barRow
		charts = append(charts, hc)
	}
	var tables []htmlTable
	for _, t := range r.tables() {
		tables = append(tables, htmlTable{Title: t.Title, Rows: t.Rows})
	}

	data := struct {
		R       *Report
		Heading string
		Summary [][3]string
		Charts  []htmlChart
		Tables  []htmlTable
	}{r, r.heading(), r.summary(), charts, tables}
	if err := pageTmpl.Execute(w, data); err != nil {
		return fmt.Errorf("report: cannot write HTML: %w", err)
	}
	return nil
}

var pageTmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"comma": humanize.Comma,
	"ibytes": func(v int64) string {
		return humanize.IBytes(uint64(max(v, 0)))
	},
	"width": func() int { return barLeft + barWidth + 110 },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>File tree report: {{.R.Root}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto;
  max-width: 960px; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
.sub { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5em 0; }
td, th { padding: 0.25em 0.8em; border-bottom: 1px solid #eee;
  text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.grid { display: grid; grid-template-columns: repeat(auto-fit,
  minmax(280px, 1fr)); gap: 0 2em; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg.chart text { font-size: 12px; fill: #333; }
svg.chart rect { fill: #3b7dd8; }
.sev-error { color: #b00020; font-weight: bold; }
.sev-warn { color: #a05a00; font-weight: bold; }
.sev-info { color: #555; }
ul.ex { margin: 0.2em 0 0 1em; padding: 0; color: #555;
  font-family: monospace; font-size: 0.9em; }
</style>
</head>
<body>
<h1>File tree report</h1>
<p class="sub">{{.Heading}}</p>

<table class="summary">
{{- range .Summary}}
<tr><th>{{index . 1}}</th><td class="n">{{index . 2}}</td></tr>
{{- end}}
</table>

{{- range .Charts}}
<h2>{{.Title}}</h2>
{{- if .Bars}}
<svg class="chart" data-histogram="{{.Key}}" role="img"
  aria-label="{{.Title}}" viewBox="0 0 {{width}} {{.Height}}"
  width="{{width}}" height="{{.Height}}">
{{- $x := .TextX}}
{{- range .Bars}}
<g><title>{{.Label}}: {{.Count}} ({{printf "%.1f" .Pct}}%)</title>
<text x="0" y="{{.TextY}}">{{.Label}}</text>
<rect x="130" y="{{.Y}}" width="{{.W}}" height="16"></rect>
<text x="{{$x}}" y="{{.TextY}}">{{.Count}} · {{printf "%.1f" .Pct}}%</text></g>
{{- end}}
</svg>
{{- else}}
<p class="sub" data-histogram="{{.Key}}">No files.</p>
{{- end}}
{{- end}}

<div class="grid">
{{- range .Tables}}
<div>
<h2>{{.Title}}</h2>
<table>
<tr><th>Name</th><th>Files</th><th>Bytes</th></tr>
{{- range .Rows}}
<tr><td>{{.Name}}</td><td class="n">{{comma .Files}}</td>
<td class="n">{{ibytes .Bytes}}</td></tr>
{{- end}}
</table>
</div>
{{- end}}
</div>

<h2>Findings</h2>
{{- if not .R.Findings}}
<p>None.</p>
{{- else}}
<table class="findings">
<tr><th>Severity</th><th>Kind</th><th>Count</th><th>Detail</th></tr>
{{- range .R.Findings}}
<tr><td class="sev-{{.Severity}}">{{.Severity}}</td><td>{{.Kind}}</td>
<td class="n">{{comma .Count}}</td>
<td>{{.Detail}}{{if .Examples}}<ul class="ex">
{{- range .Examples}}<li>{{.}}</li>{{end}}</ul>{{end}}</td></tr>
{{- end}}
</table>
{{- end}}
</body>
</html>
`))

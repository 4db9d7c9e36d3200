package main

import (
	"bytes"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// The charts use a sans-serif face. gonum measures text with its own copy of
// Liberation Sans; a browser draws it with that font if installed, else
// with the fallbacks added to each SVG's font-family.
func init() {
	plot.DefaultFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
	plotter.DefaultFont = plot.DefaultFont // copied at its init, before this
}

const svgFont = "font-family:Liberation Sans"

// Peers are drawn grey and the zinx versions blue, so the eye finds the
// versions and reads the peers as the reference they are.
var (
	peerColor    = color.RGBA{R: 0x9a, G: 0x9a, B: 0x9a, A: 0xff}
	versionColor = color.RGBA{R: 0x2f, G: 0x6f, B: 0xb5, A: 0xff}
)

// chart is a column of bar charts sharing one measure, one panel per
// scenario, each with its own scale: a bar per server, its value above it.
// There is no grid: the printed values say more, and a grid line would run
// through some of them.
type chart struct {
	file    string
	measure string               // the y axis label, with its unit
	format  func(float64) string // how a bar's value is printed above it
	servers []string
	isPeer  func(server string) bool
	panels  []panel
}

type panel struct {
	title  string
	values []float64 // one per server, in servers' order
}

// save writes c as SVG into dir.
func (c chart) save(dir string) error {
	plots := make([][]*plot.Plot, len(c.panels))
	for i, pn := range c.panels {
		p, err := c.panelPlot(pn)
		if err != nil {
			return fmt.Errorf("chart %s: %w", c.file, err)
		}
		plots[i] = []*plot.Plot{p}
	}
	width := max(vg.Length(1.2+0.85*float64(len(c.servers)))*vg.Inch, 5*vg.Inch)
	height := vg.Length(len(c.panels)) * 2.3 * vg.Inch
	canvas := vgsvg.New(width, height)
	dc := draw.New(canvas)
	tiles := draw.Tiles{Rows: len(c.panels), Cols: 1, PadY: vg.Points(14), PadTop: vg.Points(4),
		PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8)}
	for i, row := range plot.Align(plots, tiles, dc) {
		plots[i][0].Draw(row[0])
	}
	var buf bytes.Buffer
	if _, err := canvas.WriteTo(&buf); err != nil {
		return err
	}
	out := strings.ReplaceAll(buf.String(), svgFont+";", svgFont+",Arial,Helvetica,sans-serif;")
	return os.WriteFile(filepath.Join(dir, c.file), []byte(out), 0o644)
}

func (c chart) panelPlot(pn panel) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = pn.title
	p.Y.Label.Text = c.measure
	p.Y.Min = 0

	// Two bar charts, one per colour, each zero where the other draws.
	w := vg.Points(34)
	var peers, versions plotter.Values
	var top float64
	for i, s := range c.servers {
		v := pn.values[i]
		top = max(top, v)
		if c.isPeer(s) {
			peers, versions = append(peers, v), append(versions, 0)
		} else {
			peers, versions = append(peers, 0), append(versions, v)
		}
	}
	for _, set := range []struct {
		vals plotter.Values
		col  color.Color
	}{{peers, peerColor}, {versions, versionColor}} {
		bars, err := plotter.NewBarChart(set.vals, w)
		if err != nil {
			return nil, err
		}
		bars.LineStyle.Width = 0
		bars.Color = set.col
		p.Add(bars)
	}

	// The value above each bar, so the reader need not estimate it.
	xys := make(plotter.XYs, len(c.servers))
	labels := make([]string, len(c.servers))
	for i, v := range pn.values {
		xys[i] = plotter.XY{X: float64(i), Y: v}
		labels[i] = c.format(v)
	}
	lb, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return nil, err
	}
	for i := range lb.TextStyle {
		lb.TextStyle[i].XAlign = text.XCenter
		lb.TextStyle[i].Font.Size = vg.Points(8)
	}
	lb.Offset = vg.Point{Y: vg.Points(2)}
	p.Add(lb)

	p.NominalX(c.servers...)
	p.Y.Max = top * 1.18 // room for the labels
	if top == 0 {
		p.Y.Max = 1
	}
	return p, nil
}

package main

import (
	"fmt"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// chart is one grouped bar chart: a group of bars per server, one bar per
// series (a scenario, or a percentile).
type chart struct {
	file, title, yLabel string
	servers             []string
	series              []string
	values              [][]float64 // values[series][server]
}

// save writes c as SVG into dir.
func (c chart) save(dir string) error {
	p := plot.New()
	p.Title.Text = c.title
	p.Y.Label.Text = c.yLabel
	p.Y.Min = 0
	p.Legend.Top = true
	p.Legend.Left = false

	// Bars of a group sit side by side around the group's centre.
	const groupWidth = 54
	w := vg.Points(groupWidth / float64(max(len(c.series), 1)))
	for i, vals := range c.values {
		bars, err := plotter.NewBarChart(plotter.Values(vals), w)
		if err != nil {
			return fmt.Errorf("chart %s: %w", c.file, err)
		}
		bars.LineStyle.Width = 0
		bars.Color = plotutil.Color(i)
		bars.Offset = w * vg.Length(float64(i)-float64(len(c.values)-1)/2)
		p.Add(bars)
		if len(c.series) > 1 {
			p.Legend.Add(c.series[i], bars)
		}
	}
	p.NominalX(c.servers...)
	p.Add(plotter.NewGrid())
	height := 3.6 * vg.Inch
	if len(c.series) > 1 {
		height += vg.Length(len(c.series)) * 0.18 * vg.Inch // room for the legend
		p.Y.Max = maxOf(c.values) * (1 + 0.09*float64(len(c.series)))
	}
	width := vg.Length(1.6+0.9*float64(len(c.servers))) * vg.Inch
	return p.Save(max(width, 5*vg.Inch), height, filepath.Join(dir, c.file))
}

func maxOf(vss [][]float64) float64 {
	m := 0.0
	for _, vs := range vss {
		for _, v := range vs {
			m = max(m, v)
		}
	}
	return m
}

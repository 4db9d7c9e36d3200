package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// table lays out cells in aligned columns. Widths are computed on the plain
// text and colour is applied after padding, because escape sequences have
// no width on screen but do have length.
type table struct {
	header []string
	right  []bool // right-align column i
	rows   [][]cell
}

// cell is one table entry; paint, if set, colours it.
type cell struct {
	text  string
	paint func(string) string
}

// add appends a row.
func (t *table) add(cells ...cell) { t.rows = append(t.rows, cells) }

// write prints the header and rows, columns two spaces apart.
func (t *table) write(w io.Writer, st style) {
	widths := make([]int, len(t.header))
	for i, h := range t.header {
		widths[i] = utf8.RuneCountInString(h)
	}
	for _, row := range t.rows {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c.text))
		}
	}
	line := func(cells []cell) {
		var b strings.Builder
		for i, c := range cells {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c.text))
			text := c.text
			if c.paint != nil {
				text = c.paint(text)
			}
			if i < len(t.right) && t.right[i] {
				text = pad + text
			} else if i < len(cells)-1 {
				text += pad
			}
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(text)
		}
		fmt.Fprintln(w, b.String())
	}
	head := make([]cell, len(t.header))
	for i, h := range t.header {
		head[i] = cell{text: h, paint: st.dim}
	}
	line(head)
	for _, row := range t.rows {
		line(row)
	}
}

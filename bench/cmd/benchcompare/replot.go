package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// saved is results.json as write leaves it.
type saved struct {
	Date      string               `json:"date"`
	Machine   machine              `json:"machine"`
	Rounds    int                  `json:"rounds"`
	Warmup    string               `json:"warmup"`
	Duration  string               `json:"duration"`
	Note      map[string]string    `json:"note"`
	Servers   []string             `json:"servers"`
	Docs      map[string][2]string `json:"docs"`
	Scenarios []scenario           `json:"scenarios"`
	Results   []result             `json:"results"`
}

// replot rewrites the pages and charts from a saved run, keeping its date
// and machine: for changing how the report looks without measuring again.
func replot(c config) error {
	b, err := os.ReadFile(c.replot)
	if err != nil {
		return err
	}
	var s saved
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("%s: %w", c.replot, err)
	}
	c.rounds = s.Rounds
	c.warmup, _ = time.ParseDuration(s.Warmup)
	c.duration, _ = time.ParseDuration(s.Duration)
	if c.note["en"] == "" && c.note["zh"] == "" {
		c.note = s.Note
	}
	r := newReport(c, s.Servers, s.Scenarios, s.Results)
	r.date, r.machine = s.Date, s.Machine
	if len(r.docs) == 0 {
		r.docs = s.Docs
	}
	return r.write(c.out)
}

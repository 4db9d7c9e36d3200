package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"zinx/bench/internal/version"
)

// report is everything the generated pages show.
type report struct {
	cfg       config
	servers   []string
	docs      map[string][2]string // server -> one line saying what it is, in English and Chinese
	scenarios []scenario
	results   []result
	sums      map[string]map[string]summary        // scenario key -> server -> summary
	good      map[string]map[string]map[int]result // scenario key -> server -> round -> measurement that did not fail
	machine   machine
	date      string
}

type machine struct {
	CPUs   int    `json:"cpus"`
	Model  string `json:"cpu_model"`
	Kernel string `json:"kernel"`
	Go     string `json:"go"`
}

func newReport(c config, servers []string, scenarios []scenario, results []result) *report {
	r := &report{
		cfg: c, servers: servers, scenarios: scenarios, results: results,
		sums: map[string]map[string]summary{}, good: map[string]map[string]map[int]result{},
		docs:    serverDocs(c.serverBin),
		machine: readMachine(), date: time.Now().UTC().Format("2006-01-02"),
	}
	for _, sc := range scenarios {
		r.sums[sc.Key] = map[string]summary{}
		r.good[sc.Key] = map[string]map[int]result{}
		for _, s := range servers {
			var rs []result
			good := map[int]result{}
			for _, res := range results {
				if res.Server == s && res.Scenario == sc.Key {
					rs = append(rs, res)
					if res.good() {
						good[res.Round] = res
					}
				}
			}
			r.sums[sc.Key][s] = summarise(s, rs)
			r.good[sc.Key][s] = good
		}
	}
	return r
}

// serverDocs asks benchserver for each server's one-line descriptions.
func serverDocs(bin string) map[string][2]string {
	docs := map[string][2]string{}
	out, err := exec.Command(bin, "-list", "-v").Output()
	if err != nil {
		return docs
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f := strings.Split(line, "\t"); len(f) == 3 {
			docs[f[0]] = [2]string{f[1], f[2]}
		}
	}
	return docs
}

func readMachine() machine {
	m := machine{CPUs: runtime.NumCPU(), Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.Model = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

// write puts README.md, README.zh.md, the charts and results.json in dir.
func (r *report) write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, c := range r.charts() {
		if err := c.save(dir); err != nil {
			return err
		}
	}
	raw, err := json.MarshalIndent(map[string]any{
		"date": r.date, "machine": r.machine, "rounds": r.cfg.rounds,
		"warmup": r.cfg.warmup.String(), "duration": r.cfg.duration.String(),
		"note": r.cfg.note, "servers": r.servers, "docs": r.docs, "scenarios": r.scenarios,
		"results": r.results,
	}, "", "  ")
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"results.json": append(raw, '\n'),
		"README.md":    r.markdown(english),
		"README.zh.md": r.markdown(chinese),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// charts are the pictures: throughput, CPU per request and p99 for every
// echo scenario, and memory per idle connection.
func (r *report) charts() []chart {
	isPeer := func(s string) bool { return version.Key(s) == nil }
	panels := func(mode string, f func(summary) float64) []panel {
		var ps []panel
		for _, sc := range r.scenarios {
			if sc.Mode != mode {
				continue
			}
			pn := panel{title: sc.Title}
			for _, s := range r.servers {
				pn.values = append(pn.values, f(r.sums[sc.Key][s]))
			}
			ps = append(ps, pn)
		}
		return ps
	}
	twoPlaces := func(v float64) string { return fmt.Sprintf("%.2f", v) }
	return []chart{
		{"throughput.svg", "thousand requests/s", thousands, r.servers, isPeer,
			panels("echo", func(s summary) float64 { return s.ReqPerSec / 1000 })},
		{"cpu.svg", "server CPU µs/request", twoPlaces, r.servers, isPeer,
			panels("echo", func(s summary) float64 { return s.CPUPerReq })},
		{"latency.svg", "p99 latency, µs", thousands, r.servers, isPeer,
			panels("echo", func(s summary) float64 { return s.P99 })},
		{"idle-memory.svg", "KiB per connection", twoPlaces, r.servers, isPeer,
			panels("idle", func(s summary) float64 { return s.KiBPerConn })},
	}
}

// contended is the busy share below which a run was starved of CPU. In a
// closed loop with every connection waiting on a request, the server or the
// load generator (whichever is slower) keeps its core busy; when neither
// does, something else on the machine took the time.
const contended = 0.8

// times formats a ratio as "0.95×", or "–" when there is none.
func times(q float64, ok bool) string {
	if !ok || q <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", q)
}

// thousands formats n with commas: 1234567 -> "1,234,567".
func thousands(n float64) string {
	s := fmt.Sprintf("%.0f", n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (r *report) markdown(l lang) []byte {
	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	t := l.text

	p("%s\n\n", t["title"])
	p("%s\n\n", t["other"])
	p(t["generated"]+"\n\n", r.date, l.rounds(r.cfg.rounds), r.cfg.warmup, r.cfg.duration)
	if note := r.cfg.note[l.code]; note != "" {
		p("> %s\n\n", note)
	}
	p("| %s | |\n|---|---|\n", t["machine"])
	p("| %s | %d |\n| %s | %s |\n| %s | %s |\n| Go | %s |\n\n",
		t["cpus"], r.machine.CPUs, t["model"], r.machine.Model, t["kernel"], r.machine.Kernel, r.machine.Go)
	p("![%s](throughput.svg)\n\n", t["throughput alt"])
	p("%s\n\n", t["method"])

	for _, sc := range r.scenarios {
		p("## %s\n\n", l.scenario(sc))
		if b := l.blurb[sc.Key]; b != "" {
			p("%s\n\n", b)
		}
		sums := r.sums[sc.Key]
		against := func(s, peer string, m metric) string { return times(r.vs(sc.Key, s, peer, m)) }
		if sc.Mode == "echo" {
			p("| %s |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n", strings.Join(l.echoHeader, " | "))
			for _, s := range r.servers {
				x := sums[s]
				p("| %s | %s | %s | %s | %s | %s | %s | %.2f | %s | %s / %s | %.0f%% / %.0f%% |\n", s,
					thousands(x.ReqPerSec), against(s, "stdlib", reqPerSec), against(s, "gnet", reqPerSec),
					thousands(x.P50), thousands(x.P99), thousands(x.P999), x.CPUPerReq, against(s, "stdlib", cpuPerReq),
					thousands(x.Fewest), thousands(x.Most), 100*x.ServerBusy, 100*x.LoadBusy)
			}
		} else {
			p("| %s |\n|---|---:|---:|---:|---:|---:|---|\n", strings.Join(l.idleHeader, " | "))
			for _, s := range r.servers {
				x := sums[s]
				p("| %s | %.2f | %s | %.2f | %.3f | %.2f | %s |\n", s,
					x.KiBPerConn, against(s, "gnet", kibPerConn), x.GoroutinesPerConn,
					x.ThreadsPerConn, x.FDsPerConn, l.yesNo(x.FDsReturned))
			}
			p("\n![%s](idle-memory.svg)\n", t["idle alt"])
		}
		if sc.Mode == "echo" {
			starved := 0
			for _, s := range r.servers {
				if x := sums[s]; x.Rounds > 0 && max(x.ServerBusy, x.LoadBusy) < contended {
					starved++
				}
			}
			if starved > 0 {
				p("\n"+t["contended"]+"\n", starved, len(r.servers), 100*contended)
			}
		}
		var failed []string
		for _, s := range r.servers {
			for _, f := range sums[s].Failed {
				failed = append(failed, fmt.Sprintf("- %s %s", s, f))
			}
		}
		if len(failed) > 0 {
			p("\n%s\n\n%s\n", t["failed"], strings.Join(failed, "\n"))
		}
		p("\n")
	}

	if vs := r.judge(l); len(vs) > 0 {
		p("## %s\n\n%s\n\n", t["targets"], t["targets body"])
		p("| %s |\n|---|---|---:|---|\n", strings.Join(l.targetHeader, " | "))
		for _, v := range vs {
			p("| %s | %s | %s | %s |\n", v.version, v.goal, v.shown, l.yesNo(v.met))
		}
		p("\n")
	}

	p("## %s\n\n", t["charts"])
	p("![%s](cpu.svg)\n\n![%s](latency.svg)\n\n", t["cpu alt"], t["latency alt"])
	p("## %s\n\n", t["servers"])
	for _, s := range r.servers {
		doc, sep := r.docs[s][0], ": "
		if l.code == "zh" {
			doc, sep = r.docs[s][1], "："
		}
		p("- `%s`%s%s\n", s, sep, doc)
	}
	p("\n## %s\n\n%s\n", t["running"], t["running body"])
	return b.Bytes()
}

//go:build !solution

// Package config is the exercise "A configuration that says what is wrong"
// (course chapter 4, V0.4): loading conf/zinx.json.
package config

import (
	"encoding/json"
	"os"
)

// GlobalObj is the server's configuration; the field names are the course's,
// and so the JSON keys.
type GlobalObj struct {
	Name          string // the server's name, used in logs
	Host          string // the address to bind
	TcpPort       int    // the port to bind, 0 to 65535 (0: the system chooses)
	Version       string // the framework version shown at start-up
	MaxConn       int    // the most connections at once, at least 1
	MaxPacketSize uint32 // the largest payload in bytes, at most MaxPacketSizeCeiling
}

// MaxPacketSizeCeiling is the largest MaxPacketSize a file may ask for: a
// typo that adds a few zeros must be an error, not a way to exhaust memory.
const MaxPacketSizeCeiling = 16 << 20

// Defaults returns the configuration used where the file says nothing.
func Defaults() GlobalObj {
	return GlobalObj{
		Name:          "ZinxServerApp",
		Host:          "0.0.0.0",
		TcpPort:       7777,
		Version:       "V0.4",
		MaxConn:       12000,
		MaxPacketSize: 4096,
	}
}

// Load reads the JSON configuration file at path over the defaults: keys the
// file leaves out keep their default values. It never panics. It returns an
// error for a file that cannot be read or is not valid JSON, for a key that
// GlobalObj has no field for, for a value of the wrong type, and for a value
// out of range (see GlobalObj). Every error names the file, and every error
// about one key names that key.
func Load(path string) (GlobalObj, error) {
	// TODO(learner): this is the course's Reload. It panics on any error,
	// silently ignores a key it does not know ("Hots" instead of "Host"),
	// accepts any number, and its errors do not say which file.
	cfg := Defaults()
	data, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		panic(err)
	}
	return cfg, nil
}

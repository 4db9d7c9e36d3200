package utils

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// GlobalObj is the server's configuration, as conf/zinx.json holds it. The
// field names are the course's, and so the JSON keys.
type GlobalObj struct {
	// Name is the server's name, used in logs.
	Name string
	// Host is the address to bind; "0.0.0.0" binds every IPv4 interface.
	Host string
	// TcpPort is the port to bind; 0 lets the system choose.
	TcpPort int
	// Version is the framework version shown at start-up.
	Version string
	// MaxConn is the most connections the server will hold at once.
	MaxConn int
	// MaxPacketSize bounds a message's payload, in bytes, on receive and on
	// send. It must be at least 1: the course let 0 mean "unlimited", which
	// let an 8-byte header make the server allocate 4 GiB. A DataPack reads a
	// limit of 0 as the default, but a file that says 0 is refused: there it
	// is a typo or the course's "unlimited", and either deserves an error.
	MaxPacketSize uint32
	// WorkerPoolSize is how many worker goroutines run the routers. 0 runs
	// each connection's routers on its reader goroutine instead.
	WorkerPoolSize uint32
	// MaxWorkerTaskLen is how many entries each worker's queue holds: a
	// request, or up to 16 requests of one connection that arrived in one
	// read, their payloads together within MaxPacketSize. When a queue is
	// full, the readers that feed it wait.
	MaxWorkerTaskLen uint32
	// MaxMsgChanLen is how many frames a connection's send queue holds, for
	// SendMsg and SendBuffMsg alike. It bounds what a client that stops
	// reading can make the server hold for it; when the queue is full,
	// senders wait.
	MaxMsgChanLen uint32
}

// DefaultMaxPacketSize is MaxPacketSize when no file sets it, and the limit
// of a DataPack whose own limit is 0.
const DefaultMaxPacketSize = 4096

// MaxPacketSizeCeiling is the largest MaxPacketSize a configuration may ask
// for. Each connection may allocate a payload this large, so a typo adding a
// few zeros should be an error, not a way to exhaust memory.
const MaxPacketSizeCeiling = 16 << 20

// WorkerPoolSizeCeiling and MaxWorkerTaskLenCeiling bound the pool: every
// worker is a goroutine and every queue slot may hold an entry whose
// payloads total up to MaxPacketSize bytes, so a few extra zeros should be
// an error.
const (
	WorkerPoolSizeCeiling   = 1 << 16
	MaxWorkerTaskLenCeiling = 1 << 20
)

// MaxMsgChanLenCeiling bounds MaxMsgChanLen: a connection's send queue may
// hold MaxMsgChanLen frames of up to MaxPacketSize bytes each, for a client
// that stops reading.
const MaxMsgChanLenCeiling = 1 << 16

// DefaultConfigPath is where the configuration is read from, relative to the
// working directory, as in the course.
const DefaultConfigPath = "conf/zinx.json"

// ConfigEnv names the environment variable that, when set, gives the
// configuration file's path instead of DefaultConfigPath.
const ConfigEnv = "ZINX_CONFIG"

// GlobalObject is the process's configuration, as the course names it. It
// starts as Defaults(); Reload reads the configuration file into it. Servers
// do not read or change it: each takes its own snapshot when it is built, so
// servers with different settings can run side by side.
var GlobalObject = func() *GlobalObj { g := Defaults(); return &g }()

// Defaults returns the configuration used where no file says otherwise.
func Defaults() GlobalObj {
	return GlobalObj{
		Name:             "ZinxServerApp",
		Host:             "0.0.0.0",
		TcpPort:          7777,
		Version:          "V0.9",
		MaxConn:          12000,
		MaxPacketSize:    DefaultMaxPacketSize,
		WorkerPoolSize:   10,
		MaxWorkerTaskLen: 1024,
		MaxMsgChanLen:    1024,
	}
}

// Reload reads the configuration file (see LoadDefault) into g. On error g is
// left unchanged.
func (g *GlobalObj) Reload() error {
	cfg, err := LoadDefault()
	if err != nil {
		return err
	}
	*g = cfg
	return nil
}

// LoadDefault reads the file named by $ZINX_CONFIG, or else conf/zinx.json.
// A missing conf/zinx.json means the defaults; a missing file that
// $ZINX_CONFIG names is an error, since someone asked for it.
func LoadDefault() (GlobalObj, error) {
	if path := os.Getenv(ConfigEnv); path != "" {
		return Load(path)
	}
	cfg, err := Load(DefaultConfigPath)
	if errors.Is(err, fs.ErrNotExist) {
		return Defaults(), nil
	}
	return cfg, err
}

// Load reads the configuration file at path over the defaults: fields the
// file leaves out keep their default values. An unknown field, a value of the
// wrong type or an invalid value is an error that names the file and field.
func Load(path string) (GlobalObj, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return GlobalObj{}, fmt.Errorf("config: %w", err)
	}
	cfg, err := Parse(data)
	if err != nil {
		return GlobalObj{}, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// Parse decodes a configuration over the defaults and validates it.
func Parse(data []byte) (GlobalObj, error) {
	cfg := Defaults()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return GlobalObj{}, describeJSONError(data, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return GlobalObj{}, errors.New("unexpected data after the JSON object")
	}
	return cfg, cfg.Validate()
}

// Validate reports the first field whose value cannot work.
func (g GlobalObj) Validate() error {
	switch {
	case g.TcpPort < 0 || g.TcpPort > 65535:
		return fmt.Errorf("field TcpPort: %d is not a port (0 to 65535)", g.TcpPort)
	case g.MaxConn < 1:
		return fmt.Errorf("field MaxConn: %d must be at least 1", g.MaxConn)
	case g.MaxPacketSize == 0:
		return errors.New("field MaxPacketSize: 0 must not mean unlimited; set a limit of at least 1")
	case g.MaxPacketSize > MaxPacketSizeCeiling:
		return fmt.Errorf("field MaxPacketSize: %d is above the ceiling of %d bytes", g.MaxPacketSize, MaxPacketSizeCeiling)
	case g.WorkerPoolSize > WorkerPoolSizeCeiling:
		return fmt.Errorf("field WorkerPoolSize: %d is above the ceiling of %d workers", g.WorkerPoolSize, WorkerPoolSizeCeiling)
	case g.MaxWorkerTaskLen == 0:
		return errors.New("field MaxWorkerTaskLen: 0 must be at least 1; a worker's queue needs room for an entry")
	case g.MaxWorkerTaskLen > MaxWorkerTaskLenCeiling:
		return fmt.Errorf("field MaxWorkerTaskLen: %d is above the ceiling of %d entries", g.MaxWorkerTaskLen, MaxWorkerTaskLenCeiling)
	case g.MaxMsgChanLen == 0:
		return errors.New("field MaxMsgChanLen: 0 must be at least 1; a connection's send queue needs room for a frame")
	case g.MaxMsgChanLen > MaxMsgChanLenCeiling:
		return fmt.Errorf("field MaxMsgChanLen: %d is above the ceiling of %d frames", g.MaxMsgChanLen, MaxMsgChanLenCeiling)
	}
	return nil
}

// describeJSONError turns a decoding error into one that says where: a line
// and column for bad syntax, a field name for a value of the wrong type.
func describeJSONError(data []byte, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		// Offset counts the bytes read, the offending one included.
		line, col := position(data, max(syntax.Offset-1, 0))
		return fmt.Errorf("line %d, column %d: %v", line, col, syntax)
	case errors.As(err, &typ):
		return fmt.Errorf("field %s: want %s, got JSON %s", typ.Field, typ.Type, typ.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the file is empty or ends early")
	}
	return err // "json: unknown field \"Hots\"" already names the field
}

// position converts the byte index offset into a 1-based line and column.
func position(data []byte, offset int64) (line, col int) {
	offset = min(offset, int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// Command ferretdb-local runs FerretDB v1 (MongoDB wire protocol, SQLite backend) for the local
// integration-test servers started by deploy/local/up.sh.
//
// It uses the embeddable package github.com/FerretDB/FerretDB/ferretdb: the upstream
// cmd/ferretdb, built with `go install`, panics at start-up because its generated
// build/version/version.txt is not part of the module.
//
//	ferretdb-local -listen 127.0.0.1:27017 -sqlite-dir /abs/dir   # serve until SIGTERM/SIGINT
//	ferretdb-local -ping 127.0.0.1:27017                          # exit 0 if {ping: 1} answers ok: 1
package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("sqlite-dir", "", "directory for the SQLite databases (required to serve)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	ping := flag.String("ping", "", "only send {ping: 1} to this address and exit 0 if it answers ok: 1")
	timeout := flag.Duration("timeout", 3*time.Second, "timeout for -ping")
	flag.Parse()

	if *ping != "" {
		if err := sendPing(*ping, *timeout); err != nil {
			fmt.Fprintf(os.Stderr, "ferretdb-local: ping %s: %v\n", *ping, err)
			os.Exit(1)
		}
		return
	}

	if err := serve(*listen, *dir, *logLevel); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-local: %v\n", err)
		os.Exit(1)
	}
}

func serve(listen, dir, logLevel string) error {
	if dir == "" {
		return errors.New("-sqlite-dir is required")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err = os.MkdirAll(abs, 0o755); err != nil {
		return err
	}

	var level slog.Level
	if err = level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("bad -log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	logger.Warn("ferretdb-local serving", "listen", listen, "sqlite", abs, "uri", f.MongoDBURI())
	err = f.Run(ctx)
	logger.Warn("ferretdb-local stopped")
	return err
}

// sendPing sends an OP_MSG {ping: 1, $db: "admin"} and checks the reply for ok: 1.0.
func sendPing(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(timeout))

	var doc bytes.Buffer
	doc.Write([]byte{0, 0, 0, 0})   // document size, set below
	doc.WriteString("\x10ping\x00") // int32 "ping"
	_ = binary.Write(&doc, binary.LittleEndian, int32(1))
	doc.WriteString("\x02$db\x00") // string "$db"
	_ = binary.Write(&doc, binary.LittleEndian, int32(len("admin")+1))
	doc.WriteString("admin\x00")
	doc.WriteByte(0)
	d := doc.Bytes()
	binary.LittleEndian.PutUint32(d[0:4], uint32(len(d)))

	var msg bytes.Buffer
	hdr := []int32{int32(16 + 4 + 1 + len(d)), 1, 0, 2013} // length, requestID, responseTo, OP_MSG
	for _, v := range hdr {
		_ = binary.Write(&msg, binary.LittleEndian, v)
	}
	_ = binary.Write(&msg, binary.LittleEndian, uint32(0)) // flagBits
	msg.WriteByte(0)                                       // section kind 0: body
	msg.Write(d)
	if _, err = conn.Write(msg.Bytes()); err != nil {
		return err
	}

	head := make([]byte, 16)
	if _, err = io.ReadFull(conn, head); err != nil {
		return err
	}
	n := int(binary.LittleEndian.Uint32(head[0:4]))
	if n < 16 || n > 16<<20 {
		return fmt.Errorf("bad reply length %d", n)
	}
	body := make([]byte, n-16)
	if _, err = io.ReadFull(conn, body); err != nil {
		return err
	}

	okOne := make([]byte, 8)
	binary.LittleEndian.PutUint64(okOne, math.Float64bits(1))
	if bytes.Contains(body, append([]byte("\x01ok\x00"), okOne...)) {
		return nil
	}
	return fmt.Errorf("reply without ok: 1 (%q)", body)
}

package cosim

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// pipeProc is a child process spoken to in JSON lines on its stdin and
// stdout (netgym's pipe protocol, docs/nrp-core.md): one request line, one
// reply line, each read bounded by the context's deadline on the pipe
// itself (no goroutine per request).
type pipeProc struct {
	what   string // for messages: `Python engine "x"`
	cmd    *exec.Cmd
	w, r   *os.File
	br     *bufio.Reader
	tail   *tailWriter
	exited chan struct{}
	werr   error
	broken error // set after a timeout or a dead pipe: nothing more is read
	line   []byte
	buf    bytes.Buffer
}

// pipeReply is a reply line: {"ok": result} or {"error": msg, "traceback": text}.
type pipeReply struct {
	OK        json.RawMessage `json:"ok"`
	Error     *string         `json:"error"`
	Traceback string          `json:"traceback"`
}

// tailWriter forwards to w and keeps the last bytes written.
type tailWriter struct {
	mu   sync.Mutex
	w    io.Writer
	keep []byte
}

const tailSize = 2048

// Write implements io.Writer.
func (t *tailWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	t.keep = append(t.keep, p...)
	if len(t.keep) > tailSize {
		t.keep = append(t.keep[:0], t.keep[len(t.keep)-tailSize:]...)
	}
	t.mu.Unlock()
	if t.w != nil {
		_, _ = t.w.Write(p)
	}
	return len(p), nil
}

// String returns the bytes kept, trimmed.
func (t *tailWriter) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.keep))
}

func startPipeProc(what string, argv, env []string, dir string, stderr io.Writer) (*pipeProc, error) {
	if len(argv) == 0 {
		return nil, fmt.Errorf("%s: no command", what)
	}
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, err
	}
	p := &pipeProc{what: what, w: inW, r: outR, tail: &tailWriter{w: stderr}, exited: make(chan struct{})}
	p.cmd = exec.Command(argv[0], argv[1:]...)
	p.cmd.Stdin, p.cmd.Stdout, p.cmd.Stderr = inR, outW, p.tail
	p.cmd.Env, p.cmd.Dir = env, dir
	err = p.cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, fmt.Errorf("%s: starting %q: %w", what, argv[0], err)
	}
	p.br = bufio.NewReaderSize(outR, 64<<10)
	go func() {
		p.werr = p.cmd.Wait()
		close(p.exited)
	}()
	return p, nil
}

// send writes one request line.
func (p *pipeProc) send(ctx context.Context, req any) error {
	if p.broken != nil {
		return p.broken
	}
	p.buf.Reset()
	enc := json.NewEncoder(&p.buf)
	if err := enc.Encode(req); err != nil { // Encode appends the newline
		return fmt.Errorf("encoding the request: %w", err)
	}
	dl, _ := ctx.Deadline()
	_ = p.w.SetWriteDeadline(dl)
	if _, err := p.w.Write(p.buf.Bytes()); err != nil {
		return p.breakWith(err)
	}
	return nil
}

// recv reads one reply line and returns its result.
func (p *pipeProc) recv(ctx context.Context) (json.RawMessage, error) {
	if p.broken != nil {
		return nil, p.broken
	}
	dl, _ := ctx.Deadline()
	_ = p.r.SetReadDeadline(dl)
	if ctx.Done() != nil { // a cancelled context (Ctrl-C) ends the wait too
		stop := context.AfterFunc(ctx, func() { _ = p.r.SetReadDeadline(time.Unix(1, 0)) })
		defer stop()
	}
	p.line = p.line[:0]
	for {
		chunk, err := p.br.ReadSlice('\n')
		p.line = append(p.line, chunk...)
		if err == nil {
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			if errors.Is(ctx.Err(), context.Canceled) {
				return nil, p.breakWith(ctx.Err())
			}
			return nil, p.breakWith(ErrEngineTimeout)
		}
		return nil, p.breakWith(err)
	}
	var rep pipeReply
	if err := json.Unmarshal(p.line, &rep); err != nil {
		return nil, p.breakWith(fmt.Errorf("malformed reply %.200q: %w", p.line, err))
	}
	if rep.Error != nil {
		msg := *rep.Error
		if tb := strings.TrimSpace(rep.Traceback); tb != "" && !strings.HasPrefix(tb, "NoneType: None") {
			msg += "\n" + tb
		}
		return nil, errors.New(msg)
	}
	return rep.OK, nil
}

func (p *pipeProc) call(ctx context.Context, req any) (json.RawMessage, error) {
	if err := p.send(ctx, req); err != nil {
		return nil, err
	}
	return p.recv(ctx)
}

// breakWith marks the pipe unusable; a closed pipe is reported with the
// process's exit status and the end of its stderr.
func (p *pipeProc) breakWith(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, os.ErrClosed) || errors.Is(err, io.ErrClosedPipe) ||
		strings.Contains(err.Error(), "broken pipe") {
		select {
		case <-p.exited:
		case <-time.After(2 * time.Second):
		}
		status := "still running"
		select {
		case <-p.exited:
			status = "exited"
			if p.werr != nil {
				status = p.werr.Error()
			}
		default:
		}
		err = fmt.Errorf("%w (%s)", ErrEngineGone, status)
		if t := p.tail.String(); t != "" {
			err = fmt.Errorf("%w; its last output:\n%s", err, t)
		}
	}
	p.broken = err
	return err
}

// close ends the process: it closes its stdin, waits up to grace for it to
// exit, then kills it, and always reaps it.
func (p *pipeProc) close(grace time.Duration) {
	if p.broken != nil { // hung or dead: no point in waiting
		grace = 0
	}
	p.w.Close()
	select {
	case <-p.exited:
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
	p.r.Close()
	if p.broken == nil {
		p.broken = fmt.Errorf("%w (closed)", ErrEngineGone)
	}
}

// alive reports whether the process still runs.
func (p *pipeProc) alive() bool {
	select {
	case <-p.exited:
		return false
	default:
		return p.broken == nil
	}
}

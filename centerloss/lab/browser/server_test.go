package browser

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// labServer is JupyterLab started as `make lab` starts it, on a free port with a fresh token; or a learner's
// server on the class hub (hubServer), which the test did not start and does not stop.
type labServer struct {
	cmd       *exec.Cmd
	port      int
	base      string // the server's URL, to which the API's and the pages' paths are appended
	pageQuery string // what a page's URL ends with: the token for `make lab`'s; none on the hub (its cookie)
	token     string
	log       *os.File
	exited    chan struct{} // closed when the jupyter process has exited
	stopOnce  sync.Once
}

// startLab starts it with rootDir as its root: "notebooks", as `make lab`, or another folder (see labRoot).
func startLab(t *testing.T, repo, rootDir, outDir string) *labServer {
	t.Helper()
	s := &labServer{port: freePort(t), token: randomToken(t)}
	s.base, s.pageQuery = fmt.Sprintf("http://127.0.0.1:%d", s.port), "?token="+s.token
	args := []string{"lab", "--config=scripts/jupyter_lab_config.py", "--no-browser", "--ip=127.0.0.1",
		fmt.Sprintf("--port=%d", s.port),
		"--ServerApp.port_retries=0", "--ServerApp.root_dir=" + rootDir}
	if os.Getuid() == 0 {
		args = append(args, "--allow-root") // as the Makefile's LAB_ROOT_FLAG
	}
	s.cmd = exec.Command(filepath.Join(repo, ".venv", "bin", "jupyter"), args...)
	s.cmd.Dir = repo
	// JupyterLab's settings and workspaces in fresh folders: no autosave (the run's outputs never reach the
	// notebook files), no news fetched, no earlier workspace restored.
	settings := labSettings(t)
	s.cmd.Env = append(os.Environ(),
		"JUPYTER_TOKEN="+s.token, // through the environment, not the command line, as `make lab`
		"JUPYTER_PREFER_ENV_PATH=1",
		"GOMLX_NO_AUTO_INSTALL=1",
		"JUPYTERLAB_SETTINGS_DIR="+settings,
		"JUPYTERLAB_WORKSPACES_DIR="+t.TempDir(),
	)
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var err error
	if s.log, err = os.Create(filepath.Join(outDir, "jupyter.log")); err != nil {
		t.Fatal(err)
	}
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("starting jupyter lab: %v", err)
	}
	s.exited = make(chan struct{})
	var waitErr error
	go func() { waitErr = s.cmd.Wait(); close(s.exited) }()
	t.Cleanup(func() { s.stop(t.Logf) })
	// Interrupted (Ctrl-C, or a SIGTERM from a job runner), the test's cleanups would not run: stop the server here.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case sig := <-signals:
			logf := func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
			logf("browser test: %v: stopping JupyterLab", sig)
			s.stop(logf)
			os.Exit(1)
		case <-s.exited:
			signal.Stop(signals)
		}
	}()
	deadline := time.Now().Add(serverStartTimeout)
	for {
		if s.status(t, "/api/status", true) == http.StatusOK {
			return s
		}
		select {
		case <-s.exited:
			t.Fatalf("jupyter lab exited before answering (%v); see out/browser/jupyter.log", waitErr)
		case <-time.After(500 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("jupyter lab did not answer /api/status within %v; see out/browser/jupyter.log",
				serverStartTimeout)
		}
	}
}

// labSettings writes JupyterLab user settings for the test: autosave off, news and update checks off.
func labSettings(t *testing.T) string {
	dir := t.TempDir()
	files := map[string]string{
		"@jupyterlab/docmanager-extension/plugin.jupyterlab-settings":     `{"autosave": false}`,
		"@jupyterlab/apputils-extension/notification.jupyterlab-settings": `{"fetchNews": "false", "checkForUpdates": false}`,
	}
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// status is the HTTP status of GET path, with or without the token.
func (s *labServer) status(t *testing.T, path string, withToken bool) int {
	resp, err := s.get(path, withToken)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func (s *labServer) get(path string, withToken bool) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, s.base+path, nil)
	if err != nil {
		return nil, err
	}
	if withToken {
		req.Header.Set("Authorization", "token "+s.token)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	return client.Do(req)
}

type kernelModel struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	State       string `json:"execution_state"`
	Connections int    `json:"connections"`
}

// sessionKernel is the kernel of the server's session for notebooks/name (an error until there is one).
func (s *labServer) sessionKernel(name string) (kernelModel, error) {
	resp, err := s.get("/api/sessions", true)
	if err != nil {
		return kernelModel{}, err
	}
	defer resp.Body.Close()
	var sessions []struct {
		Path   string      `json:"path"`
		Kernel kernelModel `json:"kernel"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&sessions); err != nil {
		return kernelModel{}, fmt.Errorf("GET /api/sessions: %w", err)
	}
	for _, session := range sessions {
		if session.Path == name {
			return session.Kernel, nil
		}
	}
	return kernelModel{}, fmt.Errorf("no session for %s yet", name)
}

// shutDownSession ends the server's session for notebooks/name and its kernel, as closing the notebook and
// shutting its kernel down in JupyterLab does: the next notebook gets the machine's two cores to itself.
func (s *labServer) shutDownSession(name string) error {
	resp, err := s.get("/api/sessions", true)
	if err != nil {
		return err
	}
	var sessions []struct {
		ID   string `json:"id"`
		Path string `json:"path"`
	}
	err = json.NewDecoder(resp.Body).Decode(&sessions)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("GET /api/sessions: %w", err)
	}
	for _, session := range sessions {
		if session.Path != name {
			continue
		}
		req, _ := http.NewRequest(http.MethodDelete, s.base+"/api/sessions/"+session.ID, nil)
		req.Header.Set("Authorization", "token "+s.token)
		resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			return fmt.Errorf("DELETE /api/sessions/%s: %s", session.ID, resp.Status)
		}
	}
	return nil
}

// kernelStates lists the server's kernels as "name: execution state".
func (s *labServer) kernelStates(t *testing.T) []string {
	resp, err := s.get("/api/kernels", true)
	if err != nil {
		t.Logf("GET /api/kernels: %v", err)
		return nil
	}
	defer resp.Body.Close()
	var kernels []struct {
		Name  string `json:"name"`
		State string `json:"execution_state"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&kernels); err != nil {
		t.Logf("GET /api/kernels: %v", err)
		return nil
	}
	var out []string
	for _, k := range kernels {
		out = append(out, k.Name+": "+k.State)
	}
	return out
}

// stop asks the server to shut down (it shuts its kernels down first, which run in sessions of their own), then
// ends its process group: SIGTERM, and SIGKILL if it lingers.
func (s *labServer) stop(logf func(string, ...any)) {
	if s.cmd == nil { // the hub's: the hub stops it
		return
	}
	s.stopOnce.Do(func() { s.doStop(logf) })
}

func (s *labServer) doStop(logf func(string, ...any)) {
	defer s.log.Close()
	pgid := s.cmd.Process.Pid
	wait := func(d time.Duration) bool {
		select {
		case <-s.exited:
			return true
		case <-time.After(d):
			return false
		}
	}
	select {
	case <-s.exited: // it ended by itself: only its group may be left
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		return
	default:
	}
	req, _ := http.NewRequest(http.MethodPost, s.base+"/api/shutdown", nil)
	req.Header.Set("Authorization", "token "+s.token)
	if resp, err := (&http.Client{Timeout: 20 * time.Second}).Do(req); err == nil {
		resp.Body.Close()
	}
	if !wait(20 * time.Second) {
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		if !wait(10 * time.Second) {
			logf("jupyter lab (pid %d) ignored SIGTERM: SIGKILL", pgid)
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			wait(5 * time.Second)
		}
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL) // whatever is left of the group
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func randomToken(t *testing.T) string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

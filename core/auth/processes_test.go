package auth_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outreachhq/outreach/core/auth"
	"github.com/outreachhq/outreach/core/clock"
	"github.com/outreachhq/outreach/core/secrets"
	"github.com/outreachhq/outreach/core/store"
	"github.com/outreachhq/outreach/core/store/postgres"
	"github.com/outreachhq/outreach/core/store/postgres/pgtest"
	"github.com/outreachhq/outreach/sdk"
)

// sharedNetwork is a network's token endpoint whose state (the one live
// refresh token, and how many tokens it issued) lives in the store, so
// that processes sharing the store share one network, as every process of
// a cluster shares X. It rotates refresh tokens as X does.
type sharedNetwork struct{ st auth.Store }

func (x sharedNetwork) AuthSpec(context.Context) (sdk.AuthSpec, error) {
	return sdk.AuthSpec{RedirectURL: "http://127.0.0.1:1/cb", App: "app1"}, nil
}
func (x sharedNetwork) AuthorizeURL(context.Context, sdk.AuthorizeRequest) (string, error) {
	return "http://127.0.0.1:1/authorize", nil
}
func (x sharedNetwork) ExchangeCode(ctx context.Context, _ sdk.ExchangeRequest) (sdk.Token, error) {
	return x.issue(ctx, "")
}
func (x sharedNetwork) RefreshToken(ctx context.Context, r sdk.RefreshRequest) (sdk.Token, error) {
	return x.issue(ctx, r.RefreshToken)
}

// issue issues tokens n+1, if refresh is the live refresh token (or, for
// a sign-in, is empty).
func (x sharedNetwork) issue(ctx context.Context, refresh string) (sdk.Token, error) {
	unlock, err := x.st.Lock(ctx, "fake-x")
	if err != nil {
		return sdk.Token{}, err
	}
	defer unlock()
	var tok sdk.Token
	err = x.st.Update(ctx, func(tx store.SettingsTx) error {
		live, err := tx.Setting("fake-x/refresh")
		if err != nil {
			return err
		}
		if refresh != "" && refresh != live {
			return sdk.Errorf(sdk.SessionExpired, "invalid_request: Value passed for the token was invalid.")
		}
		v, err := tx.Setting("fake-x/issued")
		if err != nil {
			return err
		}
		n, _ := strconv.Atoi(v)
		n++
		tok = sdk.Token{AccessToken: fmt.Sprintf("at-%d", n), RefreshToken: fmt.Sprintf("rt-%d", n), ExpiresIn: time.Hour}
		if err := tx.PutSetting("fake-x/issued", strconv.Itoa(n)); err != nil {
			return err
		}
		return tx.PutSetting("fake-x/refresh", tok.RefreshToken)
	})
	return tok, err
}

// childEnv names the database a child process of
// TestOneRefreshAcrossProcesses works on.
const childEnv = "OUTREACH_AUTH_TEST_CHILD"

// TestOneRefreshAcrossProcesses: two processes on one Postgres store (this
// test and a copy of its binary) each make 50 calls that need @alice's
// token at the moment it expires: one refresh in all, and every call gets
// the new token.
func TestOneRefreshAcrossProcesses(t *testing.T) {
	url := pgtest.NewDatabase(t)
	st := pgStore(t, url)
	clk := clock.NewVirtual(start)
	x := sharedNetwork{st}
	k := auth.New(auth.Options{Store: st, Sealer: childSealer(), Clock: clk,
		Authorizer: func(string) (sdk.Authorizer, error) { return x, nil }})
	signIn(t, k)
	clk.Advance(time.Hour)

	child := exec.Command(os.Args[0], "-test.run", "^$")
	child.Env = append(os.Environ(), childEnv+"="+url)
	stdin, err := child.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	child.Stderr = &out
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() || lines.Text() != "ready" {
		_ = child.Wait()
		t.Fatalf("the other process did not get ready: %q\n%s", lines.Text(), out.String())
	}
	// Both go at once: the child as soon as it reads the line.
	fmt.Fprintln(stdin, "go")
	tokens := calls(context.Background(), k)
	for lines.Scan() {
		if tok, ok := strings.CutPrefix(lines.Text(), "token "); ok {
			tokens = append(tokens, tok)
		} else {
			out.WriteString(lines.Text() + "\n")
		}
	}
	if err := child.Wait(); err != nil {
		t.Fatalf("the other process: %v\n%s", err, out.String())
	}
	if len(tokens) != 100 {
		t.Fatalf("%d calls answered, want 100\n%s", len(tokens), out.String())
	}
	for i, tok := range tokens {
		if tok != "at-2" {
			t.Fatalf("call %d got %q, want the one refreshed token at-2 (a second refresh would have made at-3)", i, tok)
		}
	}
	var issued string
	_ = st.View(context.Background(), func(tx store.SettingsTx) (err error) { issued, err = tx.Setting("fake-x/issued"); return err })
	if issued != "2" {
		t.Fatalf("the network issued %s tokens: the sign-in's and %s refreshes; want 1 refresh", issued, issued)
	}
}

// calls makes 50 calls at once that need @alice's token, and returns what
// each got ("error: ..." for a failure).
func calls(ctx context.Context, k *auth.Keeper) []string {
	out := make([]string, 50)
	var wg sync.WaitGroup
	for i := range out {
		wg.Go(func() {
			tok, err := k.Token(ctx, "x", "alice", "")
			if err != nil {
				tok = "error: " + err.Error()
			}
			out[i] = tok
		})
	}
	wg.Wait()
	return out
}

// childSealer is the sealing key both processes share, as a cluster's do.
func childSealer() *secrets.Sealer {
	sl, err := secrets.NewSealer([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		panic(err)
	}
	return sl
}

// runChild is the other process of TestOneRefreshAcrossProcesses: it waits
// for the line that says go, makes its 50 calls, and prints their tokens.
func runChild(url string) int {
	ctx := context.Background()
	pg, err := postgres.Open(ctx, url, postgres.Options{})
	if err != nil {
		fmt.Println(err)
		return 1
	}
	defer pg.Close()
	st := auth.StoreOf(store.Narrow(pg, func(tx *postgres.Tx) store.SettingsTx { return tx }), pg)
	clk := clock.NewVirtual(start.Add(time.Hour))
	x := sharedNetwork{st}
	k := auth.New(auth.Options{Store: st, Sealer: childSealer(), Clock: clk,
		Authorizer: func(string) (sdk.Authorizer, error) { return x, nil }})
	// Connected and warm: a first read of the store.
	if _, err := k.Authorization(ctx, "x", "alice"); err != nil {
		fmt.Println(err)
		return 1
	}
	fmt.Println("ready")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		fmt.Println(err)
		return 1
	}
	for _, tok := range calls(ctx, k) {
		fmt.Println("token " + tok)
	}
	return 0
}

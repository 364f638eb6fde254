// se-agent-probe (a test helper, built by test/e2e/runtime-releases-run.test.ts inside a scratch copy of
// loggregator-agent-release's src/ with its vendored modules, never in the repo): sends one v2 envelope
// batch to a loggregator agent's gRPC ingress over mTLS (Ingress.Send) and, acting as the doppler the
// agent forwards to (ROUTER_ADDR, server name "doppler"), waits for that envelope to come out the other side.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"code.cloudfoundry.org/go-loggregator/v10/rpc/loggregator_v2"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

type doppler struct {
	loggregator_v2.UnimplementedIngressServer
	got chan *loggregator_v2.Envelope
}

func (d *doppler) BatchSender(s loggregator_v2.Ingress_BatchSenderServer) error {
	for {
		b, err := s.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		for _, e := range b.GetBatch() {
			d.got <- e
		}
	}
}

func (d *doppler) Sender(s loggregator_v2.Ingress_SenderServer) error {
	for {
		e, err := s.Recv()
		if err != nil {
			return err
		}
		d.got <- e
	}
}

func (d *doppler) Send(_ context.Context, b *loggregator_v2.EnvelopeBatch) (*loggregator_v2.SendResponse, error) {
	for _, e := range b.GetBatch() {
		d.got <- e
	}
	return &loggregator_v2.SendResponse{}, nil
}

func fail(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\n", a...)
	os.Exit(1)
}

func main() {
	agent := flag.String("agent", "", "agent v2 ingress address")
	dopplerAddr := flag.String("doppler", "", "address to serve the doppler ingress on (the agent's ROUTER_ADDR)")
	ca := flag.String("ca", "", "CA file")
	cert := flag.String("cert", "", "client and doppler certificate")
	key := flag.String("key", "", "its key")
	noClientCert := flag.Bool("no-client-cert", false, "connect to the agent without a client certificate")
	sourceID := flag.String("source-id", "se-probe", "source id of the envelope sent")
	wait := flag.Duration("wait", 3*time.Minute, "how long to wait for each answer")
	flag.Parse()

	pool := x509.NewCertPool()
	caPEM, err := os.ReadFile(*ca)
	if err != nil || !pool.AppendCertsFromPEM(caPEM) {
		fail("reading CA %s: %v", *ca, err)
	}
	pair, err := tls.LoadX509KeyPair(*cert, *key)
	if err != nil {
		fail("loading key pair: %v", err)
	}

	d := &doppler{got: make(chan *loggregator_v2.Envelope, 1000)}
	if *dopplerAddr != "" {
		lis, err := net.Listen("tcp", *dopplerAddr)
		if err != nil {
			fail("doppler listen: %v", err)
		}
		srv := grpc.NewServer(grpc.Creds(credentials.NewTLS(&tls.Config{
			Certificates: []tls.Certificate{pair},
			ClientAuth:   tls.RequireAndVerifyClientCert,
			ClientCAs:    pool,
			MinVersion:   tls.VersionTLS12,
		})))
		loggregator_v2.RegisterIngressServer(srv, d)
		go srv.Serve(lis) //nolint:errcheck
		fmt.Printf("doppler listening on %s\n", lis.Addr())
	}

	clientTLS := &tls.Config{RootCAs: pool, ServerName: "metron", MinVersion: tls.VersionTLS12}
	if !*noClientCert {
		clientTLS.Certificates = []tls.Certificate{pair}
	}
	conn, err := grpc.NewClient(*agent, grpc.WithTransportCredentials(credentials.NewTLS(clientTLS)))
	if err != nil {
		fail("dial %s: %v", *agent, err)
	}
	defer conn.Close()
	client := loggregator_v2.NewIngressClient(conn)
	payload := fmt.Sprintf("hello from %s", *sourceID)
	batch := &loggregator_v2.EnvelopeBatch{Batch: []*loggregator_v2.Envelope{{
		SourceId:  *sourceID,
		Timestamp: time.Now().UnixNano(),
		Tags:      map[string]string{"probe": "stack-elevator"},
		Message:   &loggregator_v2.Envelope_Log{Log: &loggregator_v2.Log{Payload: []byte(payload), Type: loggregator_v2.Log_OUT}},
	}}}
	ctx, cancel := context.WithTimeout(context.Background(), *wait)
	defer cancel()
	// One call, once the agent listens: a refused handshake (no client certificate) fails it.
	for {
		c, err := net.DialTimeout("tcp", *agent, time.Second)
		if err == nil {
			c.Close()
			break
		}
		if ctx.Err() != nil {
			fail("the agent at %s did not listen within %s: %v", *agent, *wait, err)
		}
		time.Sleep(250 * time.Millisecond)
	}
	if _, err := client.Send(ctx, batch); err != nil {
		fail("agent Send: %v", err)
	}
	fmt.Printf("agent accepted a batch of 1 envelope (source_id %s)\n", *sourceID)
	if *dopplerAddr == "" {
		return
	}
	// The agent drops a batch it cannot write while its doppler connection is still being set up:
	// send again every few seconds until one comes through.
	sends := 1
	tick := time.NewTicker(3 * time.Second)
	defer tick.Stop()
	for {
		select {
		case e := <-d.got:
			if e.GetSourceId() != *sourceID {
				continue
			}
			fmt.Printf("doppler received source_id %s log %q (after %d send(s))\n", e.GetSourceId(), e.GetLog().GetPayload(), sends)
			return
		case <-tick.C:
			if _, err := client.Send(ctx, batch); err != nil {
				fail("agent Send (again): %v", err)
			}
			sends++
		case <-ctx.Done():
			fail("the agent did not forward the envelope to the doppler at %s within %s (%d sends)", *dopplerAddr, *wait, sends)
		}
	}
}

// Command vcsim serves govmomi's vCenter (or ESX) simulator over HTTP(S), for the tests and the demo
// of @nimbus-sdk/vsphere. Debian's golang-github-vmware-govmomi-dev ships the simulator library but
// not the upstream vcsim command, so the package keeps this small main of its own; it takes the
// upstream command's flag names, so scripts written for vcsim work with it.
//
// It prints two lines once it listens (the URL carries no credentials):
//
//	GOVC_URL=https://127.0.0.1:8989/sdk
//	GOVC_SIM_PID=12345
//
// and stops, removing the model's datastore directories, on SIGTERM or SIGINT.
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/vmware/govmomi/simulator"

	// Each registers its endpoint (SSO lookup, PBM, STS, the vAPI REST API) on a vCenter model.
	_ "github.com/vmware/govmomi/lookup/simulator"
	_ "github.com/vmware/govmomi/pbm/simulator"
	_ "github.com/vmware/govmomi/sts/simulator"
	_ "github.com/vmware/govmomi/vapi/simulator"
)

// listenAddress reads -l: "host:port", optionally "user:password@host:port". Without credentials
// the simulator accepts any non-empty user name and password; with them, only those.
func listenAddress(value string) (*url.URL, error) {
	if !strings.Contains(value, "://") {
		value = "tcp://" + value
	}
	parsed, err := url.Parse(value)
	if err != nil {
		return nil, fmt.Errorf("-l %q: %v", value, err)
	}
	if parsed.Port() == "" {
		return nil, fmt.Errorf("-l needs host:port, got %q", parsed.Host)
	}
	return &url.URL{Host: parsed.Host, User: parsed.User}, nil
}

// countFlags are the inventory sizes, by upstream vcsim's flag names, and the Model field each sets.
var countFlags = []struct {
	name, usage string
	field       func(*simulator.Model) *int
}{
	{"dc", "datacenters", func(m *simulator.Model) *int { return &m.Datacenter }},
	{"cluster", "clusters per datacenter", func(m *simulator.Model) *int { return &m.Cluster }},
	{"host", "hosts per cluster", func(m *simulator.Model) *int { return &m.ClusterHost }},
	{"standalone-host", "standalone hosts per datacenter", func(m *simulator.Model) *int { return &m.Host }},
	{"ds", "datastores (each mounted on every host)", func(m *simulator.Model) *int { return &m.Datastore }},
	{"vm", "virtual machines per resource pool", func(m *simulator.Model) *int { return &m.Machine }},
	{"pool", "resource pools per cluster, under its root pool", func(m *simulator.Model) *int { return &m.Pool }},
	{"folder", "datacenters placed in a folder of their own", func(m *simulator.Model) *int { return &m.Folder }},
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("vcsim: ")

	// Defaults are the vCenter model's; the counts given on the command line replace them (with -esx,
	// only -ds and -vm mean anything to the ESX model).
	defaults := simulator.VPX()
	listen := flag.String("l", "127.0.0.1:8989", "listen address, host:port or user:password@host:port (port 0: any free port)")
	counts := make(map[string]*int, len(countFlags))
	for _, c := range countFlags {
		counts[c.name] = flag.Int(c.name, *c.field(defaults), c.usage)
	}
	esx := flag.Bool("esx", false, "simulate a standalone ESX host instead of a vCenter")
	useTLS := flag.Bool("tls", true, "serve HTTPS (by default with govmomi's built-in certificate for 127.0.0.1 and ::1)")
	// govmomi's built-in certificate has a 1024-bit RSA key, which OpenSSL 3.5 (Node 24) refuses at its
	// default security level: the launcher passes a certificate of its own.
	tlsCert := flag.String("tlscert", "", "PEM certificate file to serve HTTPS with (with -tlskey)")
	tlsKey := flag.String("tlskey", "", "PEM private key file of -tlscert")
	trace := flag.Bool("trace", false, "write every SOAP request and response to stderr")
	// govmomi 0.24's models report 6.5; a newer version makes clients negotiate it (the simulator's
	// behaviour and types stay 0.24's).
	apiVersion := flag.String("api-version", "", "the API version to report in about.apiVersion and /sdk/vimServiceVersions.xml")
	flag.Parse()

	address, err := listenAddress(*listen)
	if err != nil {
		log.Fatal(err)
	}

	model := defaults
	if *esx {
		model = simulator.ESX()
	}
	for _, c := range countFlags {
		if set(c.name) {
			*c.field(model) = *counts[c.name]
		}
	}
	simulator.Trace = *trace
	if *apiVersion != "" {
		model.ServiceContent.About.ApiVersion = *apiVersion
	}

	var certificates []tls.Certificate
	if (*tlsCert == "") != (*tlsKey == "") {
		log.Fatal("-tlscert and -tlskey go together")
	}
	if *tlsCert != "" {
		pair, err := tls.LoadX509KeyPair(*tlsCert, *tlsKey)
		if err != nil {
			log.Fatalf("loading -tlscert and -tlskey: %v", err)
		}
		certificates = []tls.Certificate{pair}
	}

	if err := model.Create(); err != nil {
		log.Fatalf("creating the inventory: %v", err)
	}
	model.Service.Listen = address
	model.Service.RegisterEndpoints = true
	if *useTLS {
		// Without certificates, the server uses its built-in localhost certificate.
		model.Service.TLS = &tls.Config{Certificates: certificates}
	}
	server := model.Service.NewServer()

	shown := *server.URL
	shown.User = nil
	fmt.Printf("GOVC_URL=%s\nGOVC_SIM_PID=%d\n", shown.String(), os.Getpid())

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
	server.Close()
	model.Remove()
}

// set tells whether the flag was given on the command line.
func set(name string) bool {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

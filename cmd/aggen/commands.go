package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/aggen-dev/aggen/scaffold"
	"github.com/aggen-dev/aggen/scaffold/runlocal"
)

// flagError marks cobra's own flag parsing failures as usage errors.
type flagError struct{ err error }

func (e *flagError) Error() string { return e.err.Error() }
func (e *flagError) Unwrap() error { return e.err }

// noArgs rejects positional arguments with a usage error; on a command
// with subcommands that is an unknown command.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if cmd.HasSubCommands() {
		return &flagError{fmt.Errorf("unknown command %q for %q", args[0], cmd.CommandPath())}
	}
	return &flagError{fmt.Errorf("%s takes no arguments, got %q", cmd.CommandPath(), args)}
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// newRootCommand returns the command tree and a function to call once it
// has run (it ends a CPU profile asked for with --cpuprofile).
func newRootCommand() (*cobra.Command, func()) {
	root := &cobra.Command{
		Use:   "aggen",
		Short: "Generate Kubernetes extension API servers from annotated Go types",
		Long: `aggen turns the Go types under pkg/apis/<group>/<version>/ of a project,
with their markers, into a complete extension API server served through
kube-apiserver's aggregation layer, a controller manager, clients and deploy
manifests, and keeps them in step as the types change.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &flagError{err} })
	root.Args = noArgs
	root.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	// --cpuprofile (hidden) writes a pprof CPU profile of the command, to
	// find where generate spends its time.
	var cpuprofile string
	root.PersistentFlags().StringVar(&cpuprofile, "cpuprofile", "", "write a CPU profile to this file")
	_ = root.PersistentFlags().MarkHidden("cpuprofile")
	// --memprofile (hidden) writes where the command allocated, since a
	// large part of generate's time is the allocator and the collector.
	var memprofile string
	root.PersistentFlags().StringVar(&memprofile, "memprofile", "", "write an allocation profile to this file")
	_ = root.PersistentFlags().MarkHidden("memprofile")
	stop := func() {}
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		if memprofile != "" {
			stop = func() {
				if f, err := os.Create(memprofile); err == nil {
					_ = pprof.Lookup("allocs").WriteTo(f, 0)
					f.Close()
				}
			}
		}
		if cpuprofile == "" {
			return nil
		}
		f, err := os.Create(cpuprofile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
		writeMem := stop
		stop = func() { pprof.StopCPUProfile(); f.Close(); writeMem() }
		return nil
	}
	root.AddCommand(newInitCommand(), newCreateCommand(), newGenerateCommand(), newVerifyCommand(), newDocsCommand(), newRunCommand(), newCertsCommand(), newImportCommand(), newUpgradeCommand(), newVersionCommand())
	return root, func() { stop() }
}

// inProject makes a RunE that resolves the project directory (--dir or
// the working directory) and the output writer before calling run.
func inProject(dir *string, out *io.Writer, run func(*cobra.Command) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		if *dir == "" {
			wd, err := os.Getwd()
			if err != nil {
				return err
			}
			*dir = wd
		}
		*out = cmd.OutOrStdout()
		return run(cmd)
	}
}

func newInitCommand() *cobra.Command {
	o := scaffold.InitOptions{}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Start a new project in the current directory",
		Example: `  mkdir insects && cd insects
  aggen init --domain example.com --repo github.com/acme/insects`,
		Args: noArgs,
		RunE: inProject(&o.Dir, &o.Out, func(cmd *cobra.Command) error {
			return scaffold.Init(o)
		}),
	}
	f := cmd.Flags()
	f.StringVar(&o.Domain, "domain", "", "domain of the API groups: group insects serves insects.<domain>")
	f.StringVar(&o.Repo, "repo", "", "Go module path of the new project")
	f.StringVar(&o.Name, "name", "", "project name, used for binaries, namespace and objects (default: last element of --repo)")
	f.StringVar(&o.Owner, "owner", "", "copyright owner in the boilerplate header")
	f.StringVar(&o.License, "license", "apache2", "license header of source files: apache2 or none")
	f.StringVar(&o.Dir, "dir", "", "directory of the project (default: the current directory)")
	// --year pins the boilerplate's copyright year so committed examples
	// can be recreated byte for byte in any year.
	f.IntVar(&o.Year, "year", 0, "copyright year in the boilerplate (default: this year)")
	_ = f.MarkHidden("year")
	return cmd
}

func newCreateCommand() *cobra.Command {
	create := &cobra.Command{
		Use:   "create",
		Short: "Add something to the project",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	o := scaffold.CreateAPIOptions{}
	api := &cobra.Command{
		Use:   "api",
		Short: "Add a kind: write its types file and regenerate",
		Example: `  aggen create api --group insects --version v1alpha1 --kind Bee --status --scale
  aggen create api --group insects --version v1beta1 --kind Hive --namespaced=false
  aggen create api --group insects --version v1alpha1 --kind Policy   # plural: policies
  aggen create api --group gateway.networking --version v1 --kind Route   # gateway.networking.<domain>
  aggen create api --group gateway --domain networking.k8s.io --version v1 --kind Route`,
		Args: noArgs,
		RunE: inProject(&o.Dir, &o.Out, func(cmd *cobra.Command) error {
			return scaffold.CreateAPI(o)
		}),
	}
	f := api.Flags()
	f.StringVar(&o.Group, "group", "", "API group: served as <group>.<domain>; may have several labels (gateway.networking), the first names its directory pkg/apis/<label>")
	f.StringVar(&o.Domain, "domain", "", "domain of this group instead of the project's: --group gateway --domain networking.k8s.io serves gateway.networking.k8s.io")
	f.StringVar(&o.Version, "version", "", "API version, e.g. v1alpha1")
	f.StringVar(&o.Kind, "kind", "", "kind, UpperCamelCase")
	f.StringVar(&o.Plural, "plural", "", "resource name (default: derived from the kind)")
	f.BoolVar(&o.Namespaced, "namespaced", true, "namespaced (true) or cluster-scoped (false)")
	f.BoolVar(&o.Status, "status", true, "add a Status and the /status subresource")
	f.BoolVar(&o.Scale, "scale", false, "add the /scale subresource (spec.replicas, status.replicas)")
	f.BoolVar(&o.Controller, "controller", true, "scaffold a reconciler for the kind")
	f.BoolVar(&o.Force, "force", false, "overwrite the kind's types file if it exists")
	f.StringVar(&o.Dir, "dir", "", "directory of the project (default: the current directory)")
	create.AddCommand(api, newCreateSubresourceCommand())
	return create
}

func newCreateSubresourceCommand() *cobra.Command {
	o := scaffold.CreateSubresourceOptions{}
	cmd := &cobra.Command{
		Use:   "subresource",
		Short: "Add a custom subresource to a kind: an action, a getter or a connect",
		Long: `subresource adds a subresource that a handler you write serves, below an
object of an existing kind:

  action   POST of a request kind, answered with a response kind or a Status
           (like pods/eviction); the client gets a method <Name>
  getter   GET of a view of the object that the handler computes (like
           /scale, read only); the client gets a method Get<Name>
  connect  a stream or an upgraded connection (like pods/log, pods/exec),
           with options from the query parameters

It adds +aggen:subresource to the kind, writes the kinds the subresource
uses that the package lacks, and regenerates: the storage, the client
method, OpenAPI, RBAC and pkg/registry/<group>/<kind>/<name>_subresource.go
with the handler, which is yours.`,
		Example: `  aggen create subresource --group insects --version v1alpha1 --kind Bee --name sting --type action
  aggen create subresource --group insects --version v1alpha1 --kind Bee --name summary --type getter
  aggen create subresource --group insects --version v1alpha1 --kind Bee --name log --type connect`,
		Args: noArgs,
		RunE: inProject(&o.Dir, &o.Out, func(cmd *cobra.Command) error {
			return scaffold.CreateSubresource(o)
		}),
	}
	f := cmd.Flags()
	f.StringVar(&o.Group, "group", "", "API group short name of the kind")
	f.StringVar(&o.Version, "version", "", "API version of the kind")
	f.StringVar(&o.Kind, "kind", "", "the kind that gets the subresource")
	f.StringVar(&o.Name, "name", "", "the subresource's name: the path segment below the object")
	f.StringVar(&o.Type, "type", "", "action, getter or connect")
	f.StringVar(&o.Request, "request", "", "action: the kind of the request body (default <Kind><Name>)")
	f.StringVar(&o.Response, "response", "", "action: the kind of the response (default: a Status); getter: the kind returned (default <Kind><Name>)")
	f.StringVar(&o.Options, "options", "", "connect: the kind of the query parameters (default <Kind><Name>Options)")
	f.StringVar(&o.Dir, "dir", "", "directory of the project (default: the current directory)")
	return cmd
}

func newGenerateCommand() *cobra.Command {
	o := scaffold.GenerateOptions{}
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Regenerate everything derived from the types",
		Long: `generate reads pkg/apis once, runs every generator in this one process, and
writes only the files whose bytes changed. Generated files of kinds or
versions that no longer exist are removed; user-owned files are created when
missing and never overwritten without --force. A run that fails writes nothing.`,
		Example: `  aggen generate
  aggen generate --dir ./examples/insects`,
		Args: noArgs,
		RunE: inProject(&o.Dir, &o.Out, func(cmd *cobra.Command) error {
			_, err := scaffold.Generate(o)
			return err
		}),
	}
	cmd.Flags().BoolVar(&o.Force, "force", false, "also rewrite user-owned files (loses your edits)")
	cmd.Flags().StringVar(&o.Dir, "dir", "", "directory of the project (default: the current directory)")
	return cmd
}

func newVerifyCommand() *cobra.Command {
	o := scaffold.GenerateOptions{}
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check that generated files are current, writing nothing (for CI)",
		Long: `verify renders everything generate would, compares it with the files on
disk and writes nothing. It exits 0 when all are current and 1 when any
generated file is stale, missing or extra, listing each with a short diff.
Exit 2 means bad usage, 3 invalid types or markers, 4 any other failure.`,
		Example: `  aggen verify || { echo "run aggen generate"; exit 1; }`,
		Args:    noArgs,
		RunE: inProject(&o.Dir, &o.Out, func(cmd *cobra.Command) error {
			return scaffold.Verify(o)
		}),
	}
	cmd.Flags().StringVar(&o.Dir, "dir", "", "directory of the project (default: the current directory)")
	return cmd
}

func newDocsCommand() *cobra.Command {
	o := scaffold.DocsOptions{}
	cmd := &cobra.Command{
		Use:   "docs",
		Short: "Write the API reference (docs/api) from the types, and nothing else",
		Long: `docs writes docs/api/README.md and docs/api/<group>/<version>.md: per version,
every kind (scope, resource names, storage version, subresources, printer
columns, field selectors) and every type with its fields, their types,
defaults, validation from the markers and the Go doc comments, in Markdown.
It reads only the types, so it is quick and works before the rest of the
project is regenerated. generate writes the same pages and verify reports
them stale.`,
		Example: `  aggen docs
  aggen docs --dir ./examples/insects`,
		Args: noArgs,
		RunE: inProject(&o.Dir, &o.Out, func(cmd *cobra.Command) error {
			_, err := scaffold.Docs(o)
			return err
		}),
	}
	cmd.Flags().StringVar(&o.Dir, "dir", "", "directory of the project (default: the current directory)")
	return cmd
}

func newRunCommand() *cobra.Command {
	run := &cobra.Command{
		Use:   "run",
		Short: "Run the project",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	o := runlocal.Options{}
	local := &cobra.Command{
		Use:   "local",
		Short: "Run an embedded etcd, the apiserver and the controller manager; write a kubeconfig",
		Long: `local builds cmd/apiserver and cmd/controller-manager, starts an embedded
etcd, runs the apiserver in its --local mode (no kube-apiserver needed) and
the controller manager against it, and writes .aggen/local/kubeconfig for
kubectl. Ctrl-C stops everything cleanly; the state stays in .aggen/local
until you delete it.`,
		Example: `  aggen run local
  # in another terminal:
  export KUBECONFIG=.aggen/local/kubeconfig
  kubectl get bees`,
		Args: noArgs,
		RunE: inProject(&o.Dir, &o.Out, func(cmd *cobra.Command) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runlocal.Run(ctx, o)
		}),
	}
	f := local.Flags()
	f.IntVar(&o.Port, "port", 0, "secure port of the apiserver (default: a free port)")
	f.BoolVar(&o.NoController, "no-controller", false, "do not run the controller manager")
	f.StringVar(&o.Dir, "dir", "", "directory of the project (default: the current directory)")
	run.AddCommand(local)
	return run
}

func newCertsCommand() *cobra.Command {
	o := scaffold.CertsOptions{}
	cmd := &cobra.Command{
		Use:   "certs",
		Short: "Make the apiserver's serving certificate and etcd's TLS certificates, and a deploy kustomization with the matching caBundle",
		Long: `certs creates (or reuses) a CA under .aggen/certs and issues a serving
certificate for the apiserver's Service DNS names and localhost, and from a
second CA of etcd's own, etcd's server and peer certificate and the
apiserver's etcd client certificate, all with Go's crypto/x509. It writes
.aggen/deploy: the chosen overlay plus the three Secrets and a caBundle
patch for every APIService. Key files are always 0600 and .aggen is
git-ignored: private keys never reach committed files. For production,
config/overlays/cert-manager lets cert-manager issue and inject instead.

--kube-apiserver-cidr admits those addresses to the apiserver's port in
its NetworkPolicy: where kube-apiserver runs on its nodes' host network
(kubeadm, kind) give the control plane nodes' addresses.`,
		Example: `  aggen certs
  kubectl apply -k .aggen/deploy
  aggen certs --overlay production --kube-apiserver-cidr 10.0.0.10,10.0.0.11
  aggen certs --overlay local --dns my-laptop.example.com`,
		Args: noArgs,
		RunE: inProject(&o.Dir, &o.Out, func(cmd *cobra.Command) error {
			return scaffold.Certs(o)
		}),
	}
	f := cmd.Flags()
	f.StringVar(&o.Overlay, "overlay", "dev", "overlay under config/overlays to build the deploy kustomization on")
	f.StringSliceVar(&o.ExtraDNS, "dns", nil, "extra DNS names or IPs for the serving certificate")
	f.DurationVar(&o.Validity, "validity", 365*24*time.Hour, "validity of the serving certificate")
	f.StringSliceVar(&o.KubeAPIServerCIDRs, "kube-apiserver-cidr", nil, "addresses (IPs or CIDRs) kube-apiserver reaches the apiserver from, admitted by its NetworkPolicy")
	f.BoolVar(&o.Force, "force", false, "replace the CAs too")
	f.StringVar(&o.Dir, "dir", "", "directory of the project (default: the current directory)")
	return cmd
}

func newImportCommand() *cobra.Command {
	o := scaffold.ImportOptions{}
	cmd := &cobra.Command{
		Use:   "import PATH",
		Short: "Start a project that serves an existing API (a sample-apiserver tree or a kubebuilder project) through aggregation",
		Long: `import turns an existing API into a new aggen project in the current (new)
directory. PATH is a directory or a module@version of the Go module proxy:
a tree in the shape of k8s.io/sample-apiserver (internal and versioned
packages, hand-written conversion, defaults, validation, admission plugin)
or a kubebuilder project (api/<version>/*_types.go, groupversion_info.go).

The module path and domain come from the source (--repo and --domain
override them). The API packages are copied with their markers, plus
those aggen needs to serve them as the original did; the original
strategies' validation calls go to the kinds' hooks.go and its admission
plugin becomes the project's. Everything else is listed, with positions,
in IMPORT.md. All files are written at once, or none.`,
		Example: `  mkdir wardle && cd wardle
  aggen import k8s.io/sample-apiserver@v0.37.2
  aggen import ../my-operator --repo github.com/acme/my-apiserver`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return &flagError{fmt.Errorf("%s takes one argument, the directory or module@version to import", cmd.CommandPath())}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Source = args[0]
			return inProject(&o.Dir, &o.Out, func(*cobra.Command) error {
				return scaffold.Import(o)
			})(cmd, nil)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Repo, "repo", "", "Go module path of the new project (default: the source's)")
	f.StringVar(&o.Domain, "domain", "", "domain of the API groups (default: from the source's +groupName)")
	f.StringVar(&o.Name, "name", "", "project name (default: from the source's etcd prefix, else the last element of --repo)")
	f.StringVar(&o.Owner, "owner", "", "copyright owner in the boilerplate header")
	f.StringVar(&o.License, "license", "apache2", "license header of source files: apache2 or none")
	f.StringVar(&o.Boilerplate, "boilerplate", "", "license header file (default: the source's hack/boilerplate.go.txt)")
	f.StringVar(&o.Dir, "dir", "", "directory of the new project (default: the current directory)")
	f.IntVar(&o.Year, "year", 0, "copyright year in the boilerplate (default: this year)")
	_ = f.MarkHidden("year")
	return cmd
}

func newUpgradeCommand() *cobra.Command {
	o := scaffold.UpgradeOptions{}
	cmd := &cobra.Command{
		Use:   "upgrade",
		Short: "Move a project made by an older aggen to this one: pins, aggen.yaml, your scaffolded files, generated files",
		Long: `upgrade moves the project to the running aggen in one change:

  - go.mod: the k8s.io libraries, kube-openapi and controller-runtime move
    together to the versions this aggen pins, then go mod tidy;
  - aggen.yaml is migrated to the current format;
  - every user-owned file aggen scaffolded is merged three ways: base is
    what aggen scaffolded then (recorded in aggen.scaffold.txtar), ours what
    this aggen scaffolds, theirs your file; clean merges are applied,
    conflicts are left between <<<<<<< ||||||| ======= >>>>>>> markers;
  - known API changes of the libraries in your Go code are rewritten;
  - every generated file is regenerated.

Nothing is written when any step fails. Exit 0: upgraded. Exit 1: upgraded,
with conflicts left as markers, listed as file:line; resolve them, then run
aggen generate. Exit 2 bad usage, 3 invalid types or markers, 4 any other
failure. --dry-run prints what would change and writes nothing.`,
		Example: `  aggen upgrade --dry-run
  aggen upgrade && go build ./... && aggen verify`,
		Args: noArgs,
		RunE: inProject(&o.Dir, &o.Out, func(cmd *cobra.Command) error {
			return scaffold.Upgrade(o)
		}),
	}
	cmd.Flags().BoolVar(&o.DryRun, "dry-run", false, "print what would change; write nothing")
	cmd.Flags().StringVar(&o.Dir, "dir", "", "directory of the project (default: the current directory)")
	return cmd
}

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print aggen's version and the Kubernetes version it generates for",
		Example: "  aggen version",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "aggen %s\nkubernetes %s (k8s.io/code-generator %s, controller-runtime %s)\n",
				version, scaffold.KubernetesVersion, scaffold.KubernetesVersion, scaffold.ControllerRuntimeVersion)
			return nil
		},
	}
}

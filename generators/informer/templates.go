package informer

import "text/template"

// The templates below print informer-gen's files in their final form,
// as gofmt -s prints what informer-gen's templates produce. Each is
// parsed once; import names come from the file's Imports, decided in
// the order informer-gen's templates first name each package.

// informerData fills typeInformer: one kind's informer file.
type informerData struct {
	Pub, Priv, Plural string
	// Type and Lister are the kind and its lister as the file refers to
	// them; Client, II, Cache ... are local package names.
	Type, Lister, NewLister                                        string
	Cache, II, Client, Time, Schema, Meta, Runtime, Context, Watch string
	Namespaced                                                     bool
	// Group and Version name the clientset's group method; GroupName,
	// VersionName and Resource the GroupVersionResource.
	Group, Version, GroupName, VersionName, Resource string
}

var typeInformer = template.Must(template.New("informer").Parse(`// {{.Pub}}Informer provides access to a shared informer and lister for
// {{.Plural}}. Prefer using the type-safe variant (see [Typed{{.Pub}}Informer]).
type {{.Pub}}Informer interface {
	Informer() {{.Cache}}.SharedIndexInformer
	Lister() {{.Lister}}
}

// Typed{{.Pub}}Informer provides access to a shared informer and lister for
// {{.Plural}}, including the type-safe TypedInformer variant.
// It is a superset of {{.Pub}}Informer.
type Typed{{.Pub}}Informer interface {
	Informer() {{.Cache}}.SharedIndexInformer
	TypedInformer() {{.Pub}}IndexInformer
	Lister() {{.Lister}}
}

// {{.Pub}}IndexInformer is a wrapper around the underlying [{{.Cache}}.SharedIndexInformer]
// with type-safe variants of several methods.
type {{.Pub}}IndexInformer {{.Cache}}.TypedSharedIndexInformer[*{{.Type}}]

// {{.Pub}}HandlerFuncs is a specialization of [{{.Cache}}.TypedResourceEventHandlerFuncs] for {{.Pub}}.
type {{.Pub}}HandlerFuncs = {{.Cache}}.TypedResourceEventHandlerFuncs[*{{.Type}}]

// {{.Pub}}DetailedHandlerFuncs is a specialization of [{{.Cache}}.TypedResourceEventHandlerDetailedFuncs] for {{.Pub}}.
type {{.Pub}}DetailedHandlerFuncs = {{.Cache}}.TypedResourceEventHandlerDetailedFuncs[*{{.Type}}]

// {{.Pub}}FilteringHandler is a specialization of [{{.Cache}}.TypedFilteringResourceEventHandler] for {{.Pub}}.
type {{.Pub}}FilteringHandler = {{.Cache}}.TypedFilteringResourceEventHandler[*{{.Type}}]

// {{.Pub}}Indexers is a specialization of [{{.Cache}}.TypedIndexers] for {{.Pub}}.
type {{.Pub}}Indexers = {{.Cache}}.TypedIndexers[*{{.Type}}]

// Deleted{{.Pub}} is a specialization of [{{.Cache}}.DeletedObject] for {{.Pub}}.
type Deleted{{.Pub}} = {{.Cache}}.DeletedObject[*{{.Type}}]

type {{.Priv}}Informer struct {
	factory          {{.II}}.SharedInformerFactory
	tweakListOptions {{.II}}.TweakListOptionsFunc
{{- if .Namespaced}}
	namespace        string
{{- end}}
}

// New{{.Pub}}Informer constructs a new informer for {{.Pub}} type.
// Always prefer using an informer factory to get a shared informer instead of getting an independent
// one. This reduces memory footprint and number of connections to the server.
// If you really need an independent one, prefer using the type-safe variant (see [NewTyped{{.Pub}}Informer]).
func New{{.Pub}}Informer(client {{.Client}}.Interface{{if .Namespaced}}, namespace string{{end}}, resyncPeriod {{.Time}}.Duration, indexers {{.Cache}}.Indexers) {{.Cache}}.SharedIndexInformer {
	return New{{.Pub}}InformerWithOptions(client{{if .Namespaced}}, namespace{{end}}, {{.II}}.InformerOptions{ResyncPeriod: resyncPeriod, Indexers: indexers})
}

// NewTyped{{.Pub}}Informer constructs a new informer for {{.Pub}} type.
// Always prefer using an informer factory to get a shared informer instead of getting an independent
// one. This reduces memory footprint and number of connections to the server.
func NewTyped{{.Pub}}Informer(client {{.Client}}.Interface{{if .Namespaced}}, namespace string{{end}}, resyncPeriod {{.Time}}.Duration, indexers {{.Pub}}Indexers) {{.Pub}}IndexInformer {
	return NewTyped{{.Pub}}InformerWithOptions(client{{if .Namespaced}}, namespace{{end}}, {{.II}}.InformerOptions{ResyncPeriod: resyncPeriod, Indexers: {{.Cache}}.TypedIndexersToIndexers(indexers)})
}

// NewFiltered{{.Pub}}Informer constructs a new informer for {{.Pub}} type.
// Always prefer using an informer factory to get a shared informer instead of getting an independent
// one. This reduces memory footprint and number of connections to the server.
// If you really need an independent one, prefer using the type-safe variant (see [NewTypedFiltered{{.Pub}}Informer]).
func NewFiltered{{.Pub}}Informer(client {{.Client}}.Interface{{if .Namespaced}}, namespace string{{end}}, resyncPeriod {{.Time}}.Duration, indexers {{.Cache}}.Indexers, tweakListOptions {{.II}}.TweakListOptionsFunc) {{.Cache}}.SharedIndexInformer {
	return NewTyped{{.Pub}}InformerWithOptions(client{{if .Namespaced}}, namespace{{end}}, {{.II}}.InformerOptions{ResyncPeriod: resyncPeriod, Indexers: indexers, TweakListOptions: tweakListOptions})
}

// NewTypedFiltered{{.Pub}}Informer constructs a new informer for {{.Pub}} type.
// Always prefer using an informer factory to get a shared informer instead of getting an independent
// one. This reduces memory footprint and number of connections to the server.
func NewTypedFiltered{{.Pub}}Informer(client {{.Client}}.Interface{{if .Namespaced}}, namespace string{{end}}, resyncPeriod {{.Time}}.Duration, indexers {{.Pub}}Indexers, tweakListOptions {{.II}}.TweakListOptionsFunc) {{.Pub}}IndexInformer {
	return NewTyped{{.Pub}}InformerWithOptions(client{{if .Namespaced}}, namespace{{end}}, {{.II}}.InformerOptions{ResyncPeriod: resyncPeriod, Indexers: {{.Cache}}.TypedIndexersToIndexers(indexers), TweakListOptions: tweakListOptions})
}

// New{{.Pub}}InformerWithOptions constructs a new informer for {{.Pub}} type with additional options.
// Always prefer using an informer factory to get a shared informer instead of getting an independent
// one. This reduces memory footprint and number of connections to the server.
// If you really need an independent one, prefer using the type-safe variant (see [NewTyped{{.Pub}}InformerWithOptions]).
func New{{.Pub}}InformerWithOptions(client {{.Client}}.Interface{{if .Namespaced}}, namespace string{{end}}, options {{.II}}.InformerOptions) {{.Cache}}.SharedIndexInformer {
	return NewTyped{{.Pub}}InformerWithOptions(client{{if .Namespaced}}, namespace{{end}}, options)
}

// NewTyped{{.Pub}}InformerWithOptions constructs a new informer for {{.Pub}} type with additional options.
// Always prefer using an informer factory to get a shared informer instead of getting an independent
// one. This reduces memory footprint and number of connections to the server.
func NewTyped{{.Pub}}InformerWithOptions(client {{.Client}}.Interface{{if .Namespaced}}, namespace string{{end}}, options {{.II}}.InformerOptions) {{.Pub}}IndexInformer {
	gvr := {{.Schema}}.GroupVersionResource{Group: "{{.GroupName}}", Version: "{{.VersionName}}", Resource: "{{.Resource}}"}
	identifier := options.InformerName.WithResource(gvr)
	tweakListOptions := options.TweakListOptions
	return {{.Cache}}.NewTypedSharedIndexInformer[*{{.Type}}]({{.Cache}}.NewSharedIndexInformerWithOptions(
		{{.Cache}}.ToListWatcherWithWatchListSemantics(&{{.Cache}}.ListWatch{
			ListFunc: func(opts {{.Meta}}.ListOptions) ({{.Runtime}}.Object, error) {
				if tweakListOptions != nil {
					tweakListOptions(&opts)
				}
				return client.{{.Group}}{{.Version}}().{{.Plural}}({{if .Namespaced}}namespace{{end}}).List({{.Context}}.Background(), opts)
			},
			WatchFunc: func(opts {{.Meta}}.ListOptions) ({{.Watch}}.Interface, error) {
				if tweakListOptions != nil {
					tweakListOptions(&opts)
				}
				return client.{{.Group}}{{.Version}}().{{.Plural}}({{if .Namespaced}}namespace{{end}}).Watch({{.Context}}.Background(), opts)
			},
			ListWithContextFunc: func(ctx {{.Context}}.Context, opts {{.Meta}}.ListOptions) ({{.Runtime}}.Object, error) {
				if tweakListOptions != nil {
					tweakListOptions(&opts)
				}
				return client.{{.Group}}{{.Version}}().{{.Plural}}({{if .Namespaced}}namespace{{end}}).List(ctx, opts)
			},
			WatchFuncWithContext: func(ctx {{.Context}}.Context, opts {{.Meta}}.ListOptions) ({{.Watch}}.Interface, error) {
				if tweakListOptions != nil {
					tweakListOptions(&opts)
				}
				return client.{{.Group}}{{.Version}}().{{.Plural}}({{if .Namespaced}}namespace{{end}}).Watch(ctx, opts)
			},
		}, client),
		&{{.Type}}{},
		{{.Cache}}.SharedIndexInformerOptions{
			ResyncPeriod: options.ResyncPeriod,
			Indexers:     options.Indexers,
			Identifier:   identifier,
		},
	))
}

func (f *{{.Priv}}Informer) defaultInformer(client {{.Client}}.Interface, resyncPeriod {{.Time}}.Duration) {{.Cache}}.SharedIndexInformer {
	return NewTyped{{.Pub}}InformerWithOptions(client{{if .Namespaced}}, f.namespace{{end}}, {{.II}}.InformerOptions{ResyncPeriod: resyncPeriod, Indexers: {{.Cache}}.Indexers{ {{- .Cache}}.NamespaceIndex: {{.Cache}}.MetaNamespaceIndexFunc}, InformerName: f.factory.InformerName(), TweakListOptions: f.tweakListOptions})
}

func (f *{{.Priv}}Informer) Informer() {{.Cache}}.SharedIndexInformer {
	return f.TypedInformer()
}

func (f *{{.Priv}}Informer) TypedInformer() {{.Pub}}IndexInformer {
	return {{.Cache}}.NewTypedSharedIndexInformer[*{{.Type}}](f.factory.InformerFor(&{{.Type}}{}, f.defaultInformer))
}

func (f *{{.Priv}}Informer) Lister() {{.Lister}} {
	return {{.NewLister}}(f.Informer().GetIndexer())
}

// ToTyped{{.Pub}}Informer converts an untyped informer into a Typed{{.Pub}}Informer.
//
// WARNING: this conversion is only safe if the informer handles objects of type
// *{{.Pub}}. If that is not the case, calling type-safe methods of the returned
// Typed{{.Pub}}Informer leads to runtime panics. A safer alternative is to pass
// around a Typed{{.Pub}}Informer instances that was obtained from a
// SharedInformerFactory.
func ToTyped{{.Pub}}Informer(informer {{.Pub}}Informer) Typed{{.Pub}}Informer {
	if informer, ok := informer.(Typed{{.Pub}}Informer); ok {
		return informer
	}
	return &{{.Priv}}TypedInformerAdapter{informer}
}

type {{.Priv}}TypedInformerAdapter struct {
	{{.Pub}}Informer
}

func (a *{{.Priv}}TypedInformerAdapter) TypedInformer() {{.Pub}}IndexInformer {
	return {{.Cache}}.NewTypedSharedIndexInformer[*{{.Type}}](a.Informer())
}

// To{{.Pub}}IndexInformer converts an untyped informer into a {{.Pub}}IndexInformer.
//
// WARNING: this conversion is only safe if the informer handles objects of type
// *{{.Pub}}. If that is not the case, calling type-safe methods of the returned
// {{.Pub}}IndexInformer leads to runtime panics. A safer alternative is to pass
// around a {{.Pub}}IndexInformer instances that was obtained from a
// SharedInformerFactory.
func To{{.Pub}}IndexInformer(informer {{.Cache}}.SharedIndexInformer) {{.Pub}}IndexInformer {
	if informer, ok := informer.({{.Pub}}IndexInformer); ok {
		return informer
	}
	return {{.Cache}}.NewTypedSharedIndexInformer[*{{.Type}}](informer)
}
`))

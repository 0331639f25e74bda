package markers

import "github.com/aggen-dev/aggen/generators/model"

// Names of the markers aggen reads. Generators refer to them by these
// constants so a rename is a compile error, not a silent miss.
const (
	GroupName             = "groupName"
	DeepcopyGen           = "k8s:deepcopy-gen"
	DeepcopyInterfaces    = "k8s:deepcopy-gen:interfaces"
	DeepcopyNonPointer    = "k8s:deepcopy-gen:nonpointer-interfaces"
	ConversionGen         = "k8s:conversion-gen"
	ConversionExternal    = "k8s:conversion-gen-external-types"
	ConversionExplicit    = "k8s:conversion-gen:explicit-from"
	DefaulterGen          = "k8s:defaulter-gen"
	DefaulterGenInput     = "k8s:defaulter-gen-input"
	OpenAPIGen            = "k8s:openapi-gen"
	OpenAPIModelPackage   = "k8s:openapi-model-package"
	GenClient             = "genclient"
	GenClientNonNamespace = "genclient:nonNamespaced"
	GenClientNoStatus     = "genclient:noStatus"
	GenClientNoVerbs      = "genclient:noVerbs"
	GenClientOnlyVerbs    = "genclient:onlyVerbs"
	GenClientSkipVerbs    = "genclient:skipVerbs"
	GenClientMethod       = "genclient:method"
	GenClientReadonly     = "genclient:readonly"
	ConversionFn          = "k8s:conversion-fn"

	ValidationGen               = "k8s:validation-gen"
	ValidationGenInput          = "k8s:validation-gen-input"
	ValidationGenSchemeRegistry = "k8s:validation-gen-scheme-registry"
	ValidationGenNoLint         = "k8s:validation-gen-nolint"
	SupportsSubresource         = "k8s:supportsSubresource"
	IsSubresource               = "k8s:isSubresource"

	LifecycleGen         = "k8s:prerelease-lifecycle-gen"
	LifecycleIntroduced  = "k8s:prerelease-lifecycle-gen:introduced"
	LifecycleDeprecated  = "k8s:prerelease-lifecycle-gen:deprecated"
	LifecycleRemoved     = "k8s:prerelease-lifecycle-gen:removed"
	LifecycleReplacement = "k8s:prerelease-lifecycle-gen:replacement"

	ObjectRoot       = "kubebuilder:object:root"
	ObjectGenerate   = "kubebuilder:object:generate"
	Resource         = "kubebuilder:resource"
	SubresourceStat  = "kubebuilder:subresource:status"
	SubresourceScale = "kubebuilder:subresource:scale"
	PrintColumn      = "kubebuilder:printcolumn"
	SelectableField  = "kubebuilder:selectablefield"
	StorageVersion   = "kubebuilder:storageversion"
	KBDefault        = "kubebuilder:default"
	Default          = "default"
	Optional         = "optional"
	Required         = "required"

	ValidationPrefix = "kubebuilder:validation:"
	VRequired        = ValidationPrefix + "Required"
	VOptional        = ValidationPrefix + "Optional"
	VMinimum         = ValidationPrefix + "Minimum"
	VMaximum         = ValidationPrefix + "Maximum"
	VExclusiveMin    = ValidationPrefix + "ExclusiveMinimum"
	VExclusiveMax    = ValidationPrefix + "ExclusiveMaximum"
	VMultipleOf      = ValidationPrefix + "MultipleOf"
	VMinLength       = ValidationPrefix + "MinLength"
	VMaxLength       = ValidationPrefix + "MaxLength"
	VPattern         = ValidationPrefix + "Pattern"
	VEnum            = ValidationPrefix + "Enum"
	VMinItems        = ValidationPrefix + "MinItems"
	VMaxItems        = ValidationPrefix + "MaxItems"
	VUniqueItems     = ValidationPrefix + "UniqueItems"
	VFormat          = ValidationPrefix + "Format"
	VMinProperties   = ValidationPrefix + "MinProperties"
	VMaxProperties   = ValidationPrefix + "MaxProperties"

	// GroupPriorityMinimum and VersionPriority tune the APIService of a
	// group-version; they are aggen's own.
	GroupPriorityMinimum = "aggen:groupPriorityMinimum"
	VersionPriority      = "aggen:versionPriority"

	// Subresource declares a custom subresource of a kind, served by a
	// handler the user writes: an action (POST of a request kind), a
	// getter (GET of a computed view) or a connect (a stream or an
	// upgraded connection, through rest.Connecter).
	Subresource = "aggen:subresource"

	// Computed makes a kind computed and read only, as metrics.k8s.io
	// serves its metrics: no etcd storage, objects made on every read by a
	// source the user writes (Get and List), watched by polling it; only
	// get, list and watch are served (writes are 405 Method Not Allowed)
	// and the client is +genclient:readonly. It cannot have /status, /scale
	// or custom subresources, which all read or write a stored object.
	Computed = "aggen:computed"
	// Storage picks where a kind's objects are stored, on the kind:
	// +aggen:storage=etcd (the default: the server's --etcd-servers),
	// sqlite (a file, --storage-sqlite-path), postgres or mysql (a
	// database, --storage-postgres-endpoint / --storage-mysql-endpoint)
	// or memory (gone at restart). Every backend but etcd is served by
	// kine inside the generated server, with the same watch, list paging
	// and server-side apply as etcd; sqlite and memory allow one replica
	// only. aggen.yaml's storage sets the default for every kind. The
	// values are model.StorageBackends; docs/storage.md tells the rest.
	Storage = "aggen:storage"
)

// Known returns the registry of every marker aggen understands: its own,
// the upstream code generators', controller-tools' CRD markers and
// validation-gen's declarative tags.
func Known() (*Registry, error) {
	tf := OnType | OnField
	r := NewRegistry(
		&Def{Name: GroupName, Targets: OnPackage, Value: String},
		&Def{Name: DeepcopyGen, Targets: OnPackage | OnType, Value: Raw},
		&Def{Name: DeepcopyInterfaces, Targets: OnType, Value: String, Repeatable: true},
		&Def{Name: DeepcopyNonPointer, Targets: OnType, Value: Bool, OptionalValue: true},
		&Def{Name: ConversionGen, Targets: OnPackage | OnType | OnField, Value: Raw, Repeatable: true},
		&Def{Name: ConversionExternal, Targets: OnPackage, Value: String},
		&Def{Name: ConversionExplicit, Targets: OnType, Value: Raw, Repeatable: true},
		&Def{Name: ConversionFn, Targets: tf, Value: Raw},
		&Def{Name: DefaulterGen, Targets: OnPackage | OnType, Value: Raw},
		&Def{Name: DefaulterGenInput, Targets: OnPackage, Value: String},
		&Def{Name: OpenAPIGen, Targets: OnPackage | OnType | OnField, Value: Raw},
		&Def{Name: OpenAPIModelPackage, Targets: OnPackage, Value: String},
		&Def{Name: ValidationGen, Targets: OnPackage, Value: Raw},
		&Def{Name: ValidationGenInput, Targets: OnPackage, Value: String},
		&Def{Name: ValidationGenSchemeRegistry, Targets: OnPackage, Value: String},
		&Def{Name: ValidationGenNoLint, Targets: tf},
		&Def{Name: SupportsSubresource, Targets: OnType, Value: String, Repeatable: true},
		&Def{Name: IsSubresource, Targets: OnType, Value: String},
		&Def{Name: LifecycleGen, Targets: OnPackage, Value: Bool, OptionalValue: true},
		&Def{Name: LifecycleIntroduced, Targets: OnType, Value: String},
		&Def{Name: LifecycleDeprecated, Targets: OnType, Value: String},
		&Def{Name: LifecycleRemoved, Targets: OnType, Value: String},
		&Def{Name: LifecycleReplacement, Targets: OnType, Value: Raw},
		&Def{Name: GenClient, Targets: OnType, Value: Bool, OptionalValue: true},
		&Def{Name: GenClientNonNamespace, Targets: OnType},
		&Def{Name: GenClientNoStatus, Targets: OnType},
		&Def{Name: GenClientNoVerbs, Targets: OnType},
		&Def{Name: GenClientOnlyVerbs, Targets: OnType, Value: Raw},
		&Def{Name: GenClientSkipVerbs, Targets: OnType, Value: Raw},
		&Def{Name: GenClientMethod, Targets: OnType, Value: Raw, Repeatable: true},
		&Def{Name: GenClientReadonly, Targets: OnType},

		&Def{Name: ObjectRoot, Targets: OnType, Value: Bool, OptionalValue: true},
		// Accepted so CRD types move over unchanged: aggen generates deep
		// copies for every API package anyway.
		&Def{Name: ObjectGenerate, Targets: OnPackage | OnType, Value: Bool, OptionalValue: true},

		&Def{Name: GroupPriorityMinimum, Targets: OnPackage, Value: Int},
		&Def{Name: VersionPriority, Targets: OnPackage, Value: Int},
		&Def{Name: Computed, Targets: OnType},
		&Def{Name: Subresource, Targets: OnType, Repeatable: true, Required: []string{"name", "type"},
			Args: map[string]ValueKind{"name": String, "type": String, "request": String, "response": String, "options": String}},
		&Def{Name: Storage, Targets: OnType, Value: String, OneOf: model.StorageBackendNames()},
	).Unsupported(map[string]string{
		"kubebuilder:pruning:PreserveUnknownFields":     "an aggregated API server decodes into Go types, so unknown fields cannot be kept; use a field of type runtime.RawExtension or apiextensionsv1.JSON for free-form data",
		"kubebuilder:validation:XPreserveUnknownFields": "an aggregated API server decodes into Go types, so unknown fields cannot be kept; use a field of type runtime.RawExtension or apiextensionsv1.JSON for free-form data",
		"kubebuilder:skipversion":                       "every version directory under pkg/apis is served; remove the directory instead",
		"kubebuilder:unservedversion":                   "every version directory under pkg/apis is served; remove the directory instead",
		"kubebuilder:deprecatedversion":                 "use +k8s:prerelease-lifecycle-gen:deprecated on the kind, which makes the server send deprecation warnings as kube-apiserver does for built-in types",
		"kubebuilder:skip":                              "every API package under pkg/apis is served; move the package elsewhere instead",
		"versionName":                                   "the version of an API package is its directory name",
		"kubebuilder:ac":                                "apply configurations are generated for every kind by applyconfiguration-gen",
		"kubebuilder:rbac":                              "RBAC rules belong in the controller files, not in API packages",
		"kubebuilder:webhook":                           "aggregated API servers validate in their strategies and admission plugins, not webhooks",
		"k8s:validation":                                "openapi-gen's +k8s:validation markers only change the published OpenAPI; use the +kubebuilder:validation markers or the +k8s: declarative tags, which are enforced",
	}).PassThrough(
		// Read by other upstream tools and harmless to aggen: strategic
		// merge patch keys, protobuf, kube-openapi's enum and union tags,
		// and feature gate documentation.
		"patchStrategy", "patchMergeKey", "protobuf", "protobuf.options", "protobuf.as", "protobuf.nullable",
		"enum", "featureGate", "union", "unionDiscriminator", "unionDeprecated", "unionIgnore",
		// go-to-protobuf's package tag: aggen serves JSON and YAML.
		"k8s:protobuf-gen",
	)
	return r.WithCRDMarkers()
}

// MustKnown is Known for tests and callers that cannot fail: the
// definitions are static, so an error is a programming mistake.
func MustKnown() *Registry {
	r, err := Known()
	if err != nil {
		panic(err)
	}
	return r
}

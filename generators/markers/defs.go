package markers

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
	VXValidation     = ValidationPrefix + "XValidation"

	// GroupPriorityMinimum and VersionPriority tune the APIService of a
	// group-version; they are aggen's own.
	GroupPriorityMinimum = "aggen:groupPriorityMinimum"
	VersionPriority      = "aggen:versionPriority"
)

// Known returns the registry of every marker aggen understands.
func Known() *Registry {
	tf := OnType | OnField
	return NewRegistry(
		&Def{Name: GroupName, Targets: OnPackage, Value: String},
		&Def{Name: DeepcopyGen, Targets: OnPackage | OnType, Value: Raw},
		&Def{Name: DeepcopyInterfaces, Targets: OnType, Value: String, Repeatable: true},
		&Def{Name: DeepcopyNonPointer, Targets: OnType, Value: Bool, OptionalValue: true},
		&Def{Name: ConversionGen, Targets: OnPackage | OnType | OnField, Value: Raw, Repeatable: true},
		&Def{Name: ConversionExternal, Targets: OnPackage, Value: String},
		&Def{Name: ConversionExplicit, Targets: OnType, Value: Raw, Repeatable: true},
		&Def{Name: DefaulterGen, Targets: OnPackage | OnType, Value: Raw},
		&Def{Name: DefaulterGenInput, Targets: OnPackage, Value: String},
		&Def{Name: OpenAPIGen, Targets: OnPackage | OnType | OnField, Value: Raw},
		&Def{Name: OpenAPIModelPackage, Targets: OnPackage, Value: String},
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
		&Def{Name: Resource, Targets: OnType, Args: map[string]ValueKind{
			"scope": String, "path": String, "shortName": StringList, "categories": StringList, "singular": String,
		}},
		&Def{Name: SubresourceStat, Targets: OnType},
		&Def{Name: SubresourceScale, Targets: OnType, Args: map[string]ValueKind{
			"specpath": String, "statuspath": String, "selectorpath": String,
		}, Required: []string{"specpath", "statuspath"}},
		&Def{Name: PrintColumn, Targets: OnType, Repeatable: true, Args: map[string]ValueKind{
			"name": String, "type": String, "JSONPath": String, "description": String, "format": String, "priority": Int,
		}, Required: []string{"name", "type", "JSONPath"}},
		&Def{Name: SelectableField, Targets: OnType, Repeatable: true, Args: map[string]ValueKind{"JSONPath": String}, Required: []string{"JSONPath"}},
		&Def{Name: StorageVersion, Targets: OnType},
		&Def{Name: KBDefault, Targets: tf, Value: Raw},
		&Def{Name: Default, Targets: OnField, Value: Raw},
		&Def{Name: Optional, Targets: OnField},
		&Def{Name: Required, Targets: OnField},

		&Def{Name: VRequired, Targets: OnField},
		&Def{Name: VOptional, Targets: OnField},
		&Def{Name: VMinimum, Targets: tf, Value: Number},
		&Def{Name: VMaximum, Targets: tf, Value: Number},
		&Def{Name: VExclusiveMin, Targets: tf, Value: Bool, OptionalValue: true},
		&Def{Name: VExclusiveMax, Targets: tf, Value: Bool, OptionalValue: true},
		&Def{Name: VMultipleOf, Targets: tf, Value: Number},
		&Def{Name: VMinLength, Targets: tf, Value: Int},
		&Def{Name: VMaxLength, Targets: tf, Value: Int},
		&Def{Name: VPattern, Targets: tf, Value: String},
		&Def{Name: VEnum, Targets: tf, Value: StringList},
		&Def{Name: VMinItems, Targets: tf, Value: Int},
		&Def{Name: VMaxItems, Targets: tf, Value: Int},
		&Def{Name: VUniqueItems, Targets: tf, Value: Bool, OptionalValue: true},
		&Def{Name: VFormat, Targets: tf, Value: String},
		&Def{Name: VMinProperties, Targets: tf, Value: Int},
		&Def{Name: VMaxProperties, Targets: tf, Value: Int},
		// CEL rules: the generated server evaluates them from the kind's
		// schema with apiextensions-apiserver's own code.
		&Def{Name: VXValidation, Targets: tf, Repeatable: true, Args: map[string]ValueKind{
			"rule": String, "message": String, "messageExpression": String, "reason": String,
			"fieldPath": String, "optionalOldSelf": Bool,
		}, Required: []string{"rule"}},

		&Def{Name: GroupPriorityMinimum, Targets: OnPackage, Value: Int},
		&Def{Name: VersionPriority, Targets: OnPackage, Value: Int},
	).Unsupported(map[string]string{
		"kubebuilder:validation:items":                  "item constraints are not implemented; put the markers on a named element type instead",
		"kubebuilder:validation:Type":                   "the schema type is derived from the Go type",
		"kubebuilder:validation:Schemaless":             "every field of an aggregated API has a schema",
		"kubebuilder:validation:EmbeddedResource":       "embedded resources are not implemented",
		"kubebuilder:validation:XEmbeddedResource":      "embedded resources are not implemented",
		"kubebuilder:validation:XPreserveUnknownFields": "an aggregated API server decodes into Go types, so unknown fields cannot be kept",
		"kubebuilder:pruning:PreserveUnknownFields":     "an aggregated API server decodes into Go types, so unknown fields cannot be kept",
		"kubebuilder:skipversion":                       "every version directory under pkg/apis is served; remove the directory instead",
		"kubebuilder:unservedversion":                   "every version directory under pkg/apis is served; remove the directory instead",
		"kubebuilder:deprecatedversion":                 "version deprecation is not implemented",
	})
}

package entryid

// field names a part of an entry ID that the comparison rules speak of.
type field uint8

const (
	fFlags field = iota
	fWrapFlags
	fDLL
	fWrapGUID
	fWrapData
	fProvider
	fWrappedType
	fPublic
	fServer
	fMailboxDN
	fV2
	fV3
	fTrailing
	fReserved
	fANSIPath
	fPath
	fFolderType
	fMessageType
	fFolderGID
	fMessageGID
	fParent
	fPad
	fRecordKey
	fNID
	fDisplayType
	fX500DN
	fServerGUID
	fEphVersion
	fEphDisplayType
	fMId
	fOneOffFlags
	fDisplayName
	fAddressType
	fAddress
	fContabType
	fIndex
	fMuidID
	fMemberType
	fEntryID
	fData
	numFields
)

// format says how Compare prints a raw field.
type format uint8

const (
	fmtHex format = iota
	fmtFlags
	fmtUID
	fmtPublic
	fmtOpenStore
	fmtLongTermType
	fmtGID
	fmtNID
	fmtDisplayType
	fmtContabType
	fmtIndex
	fmtMemberType
	fmtOneOffFlags
	fmtU32
)

// fieldInfo names each field as Explain does and gives the rule that
// compares or ignores it.
var fieldInfo = [numFields]struct {
	name   string
	rule   Rule
	format format
}{
	fFlags:          {"abFlags", RuleFlags, fmtFlags},
	fWrapFlags:      {"wrap abFlags", RuleFlags, fmtFlags},
	fDLL:            {"DLL name", RuleDLLName, fmtHex},
	fWrapGUID:       {"GUID", RuleWrap, fmtUID},
	fWrapData:       {"wrapped bytes", RuleWrap, fmtHex},
	fProvider:       {"ProviderUID", RuleProvider, fmtUID},
	fWrappedType:    {"WrappedType", RuleExchange, fmtOpenStore},
	fPublic:         {"OPENSTORE_PUBLIC", RuleExchange, fmtPublic},
	fServer:         {"ServerShortname", RuleExchange, fmtHex},
	fMailboxDN:      {"MailboxDN", RuleExchange, fmtHex},
	fV2:             {"V2 tail", RuleExchange, fmtHex},
	fV3:             {"V3 tail", RuleExchange, fmtHex},
	fTrailing:       {"Trailing", RuleTrailing, fmtHex},
	fReserved:       {"Reserved", RulePSTStore, fmtHex},
	fANSIPath:       {"ANSI path", RulePSTStore, fmtHex},
	fPath:           {"path", RulePSTStore, fmtHex},
	fFolderType:     {"FolderType", RuleFolder, fmtLongTermType},
	fMessageType:    {"MessageType", RuleFolder, fmtLongTermType},
	fFolderGID:      {"LongTermID", RuleFolder, fmtGID},
	fMessageGID:     {"MessageLongTermID", RuleFolder, fmtGID},
	fParent:         {"FolderLongTermID", RuleFolder, fmtGID},
	fPad:            {"Pad", RuleFolder, fmtHex},
	fRecordKey:      {"record key", RulePST, fmtUID},
	fNID:            {"NID", RulePST, fmtNID},
	fDisplayType:    {"Type", RuleExchange, fmtDisplayType},
	fX500DN:         {"X500 DN", RuleExchange, fmtHex},
	fServerGUID:     {"ServerGUID", RuleFlags, fmtUID},
	fEphVersion:     {"Version", RuleFlags, fmtU32},
	fEphDisplayType: {"DisplayType", RuleFlags, fmtDisplayType},
	fMId:            {"MId", RuleFlags, fmtU32},
	fOneOffFlags:    {"Flags", RuleOneOff, fmtOneOffFlags},
	fDisplayName:    {"DisplayName", RuleOneOff, fmtHex},
	fAddressType:    {"AddressType", RuleOneOff, fmtHex},
	fAddress:        {"Address", RuleOneOff, fmtHex},
	fContabType:     {"Type", RuleContact, fmtContabType},
	fIndex:          {"Index", RuleContact, fmtIndex},
	fMuidID:         {"muidID", RuleContact, fmtUID},
	fMemberType:     {"Type", RuleContact, fmtMemberType},
	fEntryID:        {"EntryID", RuleContact, fmtHex},
	fData:           {"Data", RuleProvider, fmtHex},
}

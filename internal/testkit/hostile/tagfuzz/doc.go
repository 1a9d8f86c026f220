// Package tagfuzz holds the fuzz target for the search form's logfmt tag
// parser. It is apart from package hostile so that a TUI package mid-edit
// cannot stop the corpus tests from building.
package tagfuzz

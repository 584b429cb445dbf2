#pragma once
// The characterisation cache in the results store (table characterisations): the memo of a
// characteriser (dse/model/characteriser.h) kept across runs, so that a kernel characterised by
// a cycle-level model is simulated once per store, whatever command asked for it (a sweep at
// fidelity systemc, `chipdse pareto --refine systemc`, `chipdse evaluate --db`).
// Rows are keyed by the hash of the fidelity and the entry's full key text; the text is kept so
// that a hash collision is detected (and refused) instead of returning another kernel's value.
#include <cstddef>
#include <string>

#include "dse/model/characteriser.h"
#include "dse/sweep/results_store.h"

namespace chipdse::sweep {

// The row key of a cached entry: 32 hex digits of MurmurHash3-128.
std::string characterisation_key(const std::string& fidelity, const std::string& key_text);

// Preloads `ch` with the store's entries of ch.fidelity(); returns how many it took. A store
// written before the table existed has none. Throws StoreError.
std::size_t load_characterisations(ResultsStore& store, model::Characteriser& ch);

// Writes the entries of `ch` that did not come from the store (present keys are left alone);
// returns how many rows were added. Works inside or outside a transaction of the caller.
// Throws StoreError on a hash collision (same key, different key text) or a failed write.
std::size_t save_characterisations(ResultsStore& store, const model::Characteriser& ch);

}  // namespace chipdse::sweep

/// \file
/// Address types and direct-map conversions for the kernel layer (defined by abyss; see
/// abyss/addressing.hpp): Pa, Va, Kva, kPageSize, to_kva, to_pa, phys_ptr.
#pragma once

#include <abyss/addressing.hpp>

/// The kernel layer: memory, TLB, threads, synchronisation, user mode, files, pipes and
/// processes, built on abyss.
namespace keos {

using abyss::kPageSize;
using abyss::Kva;
using abyss::kva_of;
using abyss::kva_ptr;
using abyss::Pa;
using abyss::phys_ptr;
using abyss::to_kva;
using abyss::to_pa;
using abyss::kUserEnd;
using abyss::Va;

}  // namespace keos

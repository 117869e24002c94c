// The types of v3's names on entities read from the engine (installed at run time from src/v3/to-v4.ts's
// table by src/accessors.ts): `disk.size`, `vm.vmpool`, `cluster.cpu.id` (docs/decisions/0018).
import type { Disk, Vm, VmPool } from "../generated/types.js";

declare module "../generated/resources.js" {
  interface DiskResource {
    /** v3's name of provisioned_size, in bytes. */
    size?: Disk["provisioned_size"];
    get_size(): Disk["provisioned_size"] | undefined;
    set_size(value: number | undefined): void;
  }
  interface VmResource {
    /** v3's name of vm_pool. */
    vmpool?: VmPool;
    get_vmpool(): Vm["vm_pool"] | undefined;
    /** v3's time zone name: time_zone.name. */
    timezone?: string;
    get_timezone(): string | undefined;
  }
}

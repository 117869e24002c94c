// The types of v3's names on entities read from the engine (installed at run time from src/v3/to-v4.ts's
// table by src/accessors.ts): `disk.size`, `vm.vmpool`, `cluster.cpu.id`, `nic.active` (docs/decisions/0018); and of
// v3's shape of `os.boot`, a list of Boot objects (src/v3/boot-list.ts, docs/decisions/0025).
import type { Boot, Disk } from "../generated/types.js";
import type { HostView, LogicalUnitView, VmPoolView } from "../generated/views.js";
import type { InitValue } from "../params-base.js";
import type { V3List as List } from "../accessors.js";
import type { V3Boot } from "./boot-list.js";
import type { V3Object } from "./params-object.js";
import type { HostResource } from "../generated/resources.js";

declare module "../generated/views.js" {
  interface BootView extends ReadonlyArray<V3Boot> {
    /** v3's list of Boot objects (`vm.os.boot[0].dev`), beside v4's `devices`. */
    readonly [index: number]: V3Boot;
  }
  interface OperatingSystemView {
    /** v4's Boot object, as well as v3's list of Boot objects (`set_boot([new params.Boot({ dev: "hd" })])`). */
    set_boot(value: InitValue<Boot> | readonly (V3Boot | V3Object)[] | null | undefined): void;
  }
  interface DiskView {
    /** v3's name of provisioned_size, in bytes. */
    size?: Disk["provisioned_size"];
    get_size(): Disk["provisioned_size"] | undefined;
    set_size(value: number | undefined): void;
  }
  interface VmView {
    /** v3's name of vm_pool. */
    vmpool?: VmPoolView;
    get_vmpool(): VmPoolView | undefined;
    /** v3's time zone name: time_zone.name. */
    timezone?: string;
    get_timezone(): string | undefined;
  }
  interface NicView {
    /** v3's name of plugged (deprecated there in its favour). */
    active?: boolean;
    get_active(): boolean | undefined;
    set_active(value: boolean | null | undefined): void;
  }
  interface VmPlacementPolicyView {
    /** v3's one placement host: hosts[0]; a fetched host can be assigned (`placement_policy.host = host`). */
    host?: HostView | HostResource;
    get_host(): HostView | undefined;
    set_host(value: InitValue<HostView> | null | undefined): void;
  }
  interface CpuView {
    /** v3's name of the CPU's type (`Intel Conroe Family`). */
    id?: string;
    get_id(): string | undefined;
    set_id(value: string | null | undefined): void;
  }
  interface HostStorageView {
    /** v3's name of logical_units. */
    logical_unit?: List<LogicalUnitView, "logical_unit">;
    get_logical_unit(): List<LogicalUnitView, "logical_unit"> | undefined;
    set_logical_unit(value: InitValue<List<LogicalUnitView, "logical_unit">> | null | undefined): void;
  }
  interface VolumeGroupView {
    /** v3's name of logical_units. */
    logical_unit?: List<LogicalUnitView, "logical_unit">;
    get_logical_unit(): List<LogicalUnitView, "logical_unit"> | undefined;
    set_logical_unit(value: InitValue<List<LogicalUnitView, "logical_unit">> | null | undefined): void;
  }
}

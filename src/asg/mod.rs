//! The group: capacity bounds, instances and their lifecycle, AZ choice, termination policies.

mod group;
mod instance;
mod termination;

pub use group::Group;
pub use instance::{Instance, Lifecycle, instance_id};
pub use termination::{TerminationChoice, choose_among, choose_for_scale_in};

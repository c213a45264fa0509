//! asg

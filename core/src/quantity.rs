//! The one table of the quantities the field reports: the seven elements,
//! grid variation and the rates of change, each with its JSON/CSV key, its
//! unit, its label and where it lives in [`MagneticElements`].
//!
//! Everything that lists quantities derives from this table: the JSON of
//! a [`FieldReport`](crate::FieldReport), a grid's bands, the CLI's output
//! columns and text tables, the GUI's panel. Adding a quantity is one
//! entry here plus its computation.
//!
//! ```
//! use magvar_core::{BuiltinModel, DatePolicy, Position, Quantity};
//!
//! let report = BuiltinModel::Wmm2025
//!     .model()
//!     .field(&Position::geodetic(36.85, -76.29, 0.0)?, 2026.9, DatePolicy::Strict)?;
//! for quantity in Quantity::ALL {
//!     // Grid variation alone is undefined (None) equatorward of 55°.
//!     if let Some(value) = quantity.get(&report.elements) {
//!         println!("{} = {value} {}", quantity.key(), quantity.unit().symbol());
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::elements::{Element, MagneticElements};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// The unit of a quantity's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Degrees,
    Nanotesla,
    DegreesPerYear,
    NanoteslaPerYear,
}

impl Unit {
    /// As printed after a value: `°`, `nT`, `°/yr`, `nT/yr`.
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Degrees => "°",
            Unit::Nanotesla => "nT",
            Unit::DegreesPerYear => "°/yr",
            Unit::NanoteslaPerYear => "nT/yr",
        }
    }

    /// Whether the values are angles (degrees, or degrees per year).
    pub fn is_angle(self) -> bool {
        matches!(self, Unit::Degrees | Unit::DegreesPerYear)
    }
}

/// How a quantity's value is held in [`MagneticElements`]: always a
/// number, or undefined in places (grid variation, equatorward of 55°).
macro_rules! field_type {
    (always) => { f64 };
    (optional) => { Option<f64> };
}

/// Reads the field as an `Option<f64>`.
macro_rules! read_field {
    (always, $e:expr, $field:ident) => {
        Some($e.$field)
    };
    (optional, $e:expr, $field:ident) => {
        $e.$field
    };
}

/// A field's value from a plain number, NaN meaning undefined (the grid's
/// convention for grid variation).
macro_rules! field_from_number {
    (always, $v:expr) => {
        $v
    };
    (optional, $v:expr) => {{
        let v: f64 = $v;
        (!v.is_nan()).then_some(v)
    }};
}

/// A field's zero: 0 or undefined.
macro_rules! field_zero {
    (always) => {
        0.0
    };
    (optional) => {
        None
    };
}

/// The table. Each entry: the variant, its `MagneticElements` field (and
/// whether it is always defined), the key, unit, label, the element it
/// belongs to, whether it is that element's rate, and a one-line
/// description.
macro_rules! quantities {
    ($(
        $variant:ident: $field:ident ($presence:ident), $key:literal, $unit:ident,
            $label:literal, $element:ident, $kind:ident, $description:literal;
    )*) => {
        /// One quantity the field reports: an element or its rate of change.
        /// The variants are in the order of the JSON keys and a grid's bands.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Quantity {
            $(#[doc = $description] $variant,)*
        }

        impl Quantity {
            /// Every quantity, in output order (the JSON keys' and a grid's bands').
            pub const ALL: [Quantity; [$(Quantity::$variant),*].len()] = [$(Quantity::$variant),*];

            /// How many quantities there are.
            pub const COUNT: usize = Self::ALL.len();

            /// The JSON/CSV key, unit included: `declination_deg`, `north_nt_per_year`, …
            pub const fn key(self) -> &'static str {
                match self { $(Quantity::$variant => $key,)* }
            }

            /// The unit of its values.
            pub const fn unit(self) -> Unit {
                match self { $(Quantity::$variant => Unit::$unit,)* }
            }

            /// A label for people, with the element's symbol: `Declination D`,
            /// `Horizontal intensity H`, …; a rate's label is its element's
            /// with `rate`.
            pub const fn label(self) -> &'static str {
                match self { $(Quantity::$variant => $label,)* }
            }

            /// A one-line description.
            pub const fn description(self) -> &'static str {
                match self { $(Quantity::$variant => $description,)* }
            }

            /// The element this is the value or the rate of.
            pub const fn element(self) -> Element {
                match self { $(Quantity::$variant => Element::$element,)* }
            }

            /// Whether this is a rate of change (per year).
            pub const fn is_rate(self) -> bool {
                match self { $(Quantity::$variant => quantities!(@is_rate $kind),)* }
            }

            /// Its value in `elements`; `None` only where it is undefined
            /// (grid variation equatorward of 55°).
            #[inline(always)]
            pub fn get(self, elements: &MagneticElements) -> Option<f64> {
                match self { $(Quantity::$variant => read_field!($presence, elements, $field),)* }
            }
        }

        impl MagneticElements {
            /// Every value zero and no grid variation: a placeholder for
            /// output buffers.
            pub const ZERO: MagneticElements = MagneticElements {
                $($field: field_zero!($presence),)*
            };

            /// Elements from each quantity's value: `value(q)` for every
            /// quantity q, NaN meaning undefined where a quantity may be
            /// (grid variation). Every field is named here, so a field of
            /// `MagneticElements` missing from the table does not compile.
            #[inline(always)]
            pub fn from_quantities(mut value: impl FnMut(Quantity) -> f64) -> MagneticElements {
                MagneticElements {
                    $($field: field_from_number!($presence, value(Quantity::$variant)),)*
                }
            }
        }

        /// The struct's own fields, so the table's types are checked against
        /// them: `field_type!` of each entry must be the field's type.
        #[allow(dead_code)]
        fn field_types_match(elements: &MagneticElements) {
            $(let _: field_type!($presence) = elements.$field;)*
        }
    };
    (@is_rate value) => { false };
    (@is_rate rate) => { true };
}

quantities! {
    Declination: declination_deg (always), "declination_deg", Degrees,
        "Declination D", Declination, value,
        "Declination D: the angle from true north to the horizontal field, positive east (the variation).";
    Inclination: inclination_deg (always), "inclination_deg", Degrees,
        "Inclination I", Inclination, value,
        "Inclination I: the angle of the field below the horizontal, positive down (the dip).";
    Horizontal: horizontal_nt (always), "horizontal_nt", Nanotesla,
        "Horizontal intensity H", Horizontal, value,
        "Horizontal intensity H: the strength of the field's horizontal part, which a compass follows.";
    North: north_nt (always), "north_nt", Nanotesla,
        "North component X", North, value,
        "North component X: the field toward true north.";
    East: east_nt (always), "east_nt", Nanotesla,
        "East component Y", East, value,
        "East component Y: the field toward east.";
    Down: down_nt (always), "down_nt", Nanotesla,
        "Down component Z", Down, value,
        "Down component Z: the field downward.";
    Total: total_nt (always), "total_nt", Nanotesla,
        "Total intensity F", Total, value,
        "Total intensity F: the strength of the whole field.";
    GridVariation: grid_variation_deg (optional), "grid_variation_deg", Degrees,
        "Grid variation GV", GridVariation, value,
        "Grid variation GV: declination from grid north of a polar stereographic chart, defined poleward of 55°.";
    DeclinationRate: declination_deg_per_year (always), "declination_deg_per_year", DegreesPerYear,
        "Declination D rate", Declination, rate,
        "Annual change of declination, degrees per year (positive: turning east).";
    InclinationRate: inclination_deg_per_year (always), "inclination_deg_per_year", DegreesPerYear,
        "Inclination I rate", Inclination, rate,
        "Annual change of inclination, degrees per year.";
    HorizontalRate: horizontal_nt_per_year (always), "horizontal_nt_per_year", NanoteslaPerYear,
        "Horizontal intensity H rate", Horizontal, rate,
        "Annual change of horizontal intensity, nT per year.";
    NorthRate: north_nt_per_year (always), "north_nt_per_year", NanoteslaPerYear,
        "North component X rate", North, rate,
        "Annual change of the north component (secular variation), nT per year.";
    EastRate: east_nt_per_year (always), "east_nt_per_year", NanoteslaPerYear,
        "East component Y rate", East, rate,
        "Annual change of the east component (secular variation), nT per year.";
    DownRate: down_nt_per_year (always), "down_nt_per_year", NanoteslaPerYear,
        "Down component Z rate", Down, rate,
        "Annual change of the down component (secular variation), nT per year.";
    TotalRate: total_nt_per_year (always), "total_nt_per_year", NanoteslaPerYear,
        "Total intensity F rate", Total, rate,
        "Annual change of total intensity, nT per year.";
}

/// Each element's value quantity and rate quantity, by `Element as usize`,
/// worked out from the table when compiling.
const BY_ELEMENT: [(Quantity, Option<Quantity>); Element::ALL.len()] = {
    let mut table = [(Quantity::Declination, None); Element::ALL.len()];
    let mut i = 0;
    while i < Quantity::COUNT {
        let quantity = Quantity::ALL[i];
        let slot = &mut table[quantity.element() as usize];
        if quantity.is_rate() {
            slot.1 = Some(quantity);
        } else {
            slot.0 = quantity;
        }
        i += 1;
    }
    table
};

impl Quantity {
    /// The quantity holding `element`'s value.
    pub const fn value_of(element: Element) -> Quantity {
        BY_ELEMENT[element as usize].0
    }

    /// The quantity holding `element`'s rate of change; `None` for grid
    /// variation, whose rate is the declination's (the grid's north is
    /// fixed) and is not reported twice.
    pub const fn rate_of(element: Element) -> Option<Quantity> {
        BY_ELEMENT[element as usize].1
    }

    /// This value's rate of change (for a rate, `None`). Grid variation
    /// changes as declination does, so its rate is [`Quantity::DeclinationRate`].
    pub fn rate(self) -> Option<Quantity> {
        if self.is_rate() {
            None
        } else if self == Quantity::GridVariation {
            Some(Quantity::DeclinationRate)
        } else {
            Self::rate_of(self.element())
        }
    }

    /// The quantity whose key is `key`.
    pub fn from_key(key: &str) -> Option<Quantity> {
        Self::ALL.into_iter().find(|q| q.key() == key)
    }
}

/// The JSON of elements is the table: each quantity's key and value, in
/// table order (undefined values as `null`).
impl Serialize for MagneticElements {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(Quantity::COUNT))?;
        for quantity in Quantity::ALL {
            map.serialize_entry(quantity.key(), &quantity.get(self))?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_state_their_unit() {
        for (i, a) in Quantity::ALL.iter().enumerate() {
            assert_eq!(*a as usize, i, "{a:?} is in table order");
            for b in &Quantity::ALL[i + 1..] {
                assert_ne!(a.key(), b.key());
                assert_ne!(a.label(), b.label());
            }
            let suffix = match a.unit() {
                Unit::Degrees => "_deg",
                Unit::Nanotesla => "_nt",
                Unit::DegreesPerYear => "_deg_per_year",
                Unit::NanoteslaPerYear => "_nt_per_year",
            };
            assert!(a.key().ends_with(suffix), "{}", a.key());
            assert_eq!(a.is_rate(), a.key().ends_with("_per_year"));
            assert_eq!(Quantity::from_key(a.key()), Some(*a));
        }
    }

    #[test]
    fn every_element_has_a_value_and_all_but_grid_variation_a_rate() {
        for element in Element::ALL {
            let value = Quantity::value_of(element);
            assert_eq!(value.element(), element);
            assert!(!value.is_rate());
            assert!(value.key().starts_with(element.name()));
            match Quantity::rate_of(element) {
                Some(rate) => {
                    assert_eq!(rate.element(), element);
                    assert!(rate.is_rate());
                    assert_eq!(value.rate(), Some(rate));
                }
                None => assert_eq!(element, Element::GridVariation),
            }
        }
    }

    /// Reading every quantity back from elements built from the table
    /// gives each its own value: no two fields are crossed.
    #[test]
    fn from_quantities_and_get_agree() {
        let elements = MagneticElements::from_quantities(|q| 100.0 + q as usize as f64);
        for q in Quantity::ALL {
            assert_eq!(q.get(&elements), Some(100.0 + q as usize as f64), "{q:?}");
        }
        let undefined = MagneticElements::from_quantities(|_| f64::NAN);
        assert_eq!(Quantity::GridVariation.get(&undefined), None);
    }

    #[test]
    fn json_keys_are_the_table_in_order() {
        let elements = MagneticElements::from_quantities(|q| q as usize as f64);
        let json = serde_json::to_value(elements).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let table: Vec<&str> = Quantity::ALL.iter().map(|q| q.key()).collect();
        assert_eq!(keys, table);
    }
}

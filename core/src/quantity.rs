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
//!     // Grid variation is undefined (None) equatorward of 55°, and the
//!     // uncertainties for models without a published error model.
//!     if let Some(value) = report.get(quantity) {
//!         println!("{} = {value} {}", quantity.key(), quantity.unit().symbol());
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::elements::{Element, MagneticElements};
use crate::uncertainty::Uncertainty;
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

/// What a quantity is of its element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The element's value.
    Value,
    /// Its rate of change, per year.
    Rate,
    /// Its one-sigma uncertainty.
    Uncertainty,
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

/// The table. Each field entry: the variant, its `MagneticElements` field
/// (and whether it is always defined), the key, unit, label, the element
/// it belongs to, whether it is that element's value or rate, and a
/// one-line description. Each uncertainty entry: the variant, its
/// [`Uncertainty`] field, key, unit, label, element and description.
macro_rules! quantities {
    (
        field {$(
            $variant:ident: $field:ident ($presence:ident), $key:literal, $unit:ident,
                $label:literal, $element:ident, $kind:ident, $description:literal;
        )*}
        uncertainty {$(
            $u_variant:ident: $u_field:ident, $u_key:literal, $u_unit:ident,
                $u_label:literal, $u_element:ident, $u_description:literal;
        )*}
    ) => {
        /// One quantity a report gives: an element, its rate of change, or
        /// its uncertainty. The variants are in the order of the JSON keys;
        /// the field's come first, in the order of a grid's bands.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Quantity {
            $(#[doc = $description] $variant,)*
            $(#[doc = $u_description] $u_variant,)*
        }

        impl Quantity {
            /// Every quantity, in output order (the JSON keys').
            pub const ALL: [Quantity; [$(Quantity::$variant,)* $(Quantity::$u_variant,)*].len()] =
                [$(Quantity::$variant,)* $(Quantity::$u_variant,)*];

            /// How many quantities there are.
            pub const COUNT: usize = Self::ALL.len();

            /// The field's quantities (elements and rates): those of
            /// [`MagneticElements`], and a grid's bands, in this order.
            pub const FIELD: [Quantity; [$(Quantity::$variant,)*].len()] = [$(Quantity::$variant,)*];

            /// How many field quantities there are.
            pub const FIELD_COUNT: usize = Self::FIELD.len();

            /// The uncertainties of the elements (the model's error model).
            pub const UNCERTAINTY: [Quantity; [$(Quantity::$u_variant,)*].len()] =
                [$(Quantity::$u_variant,)*];

            /// The JSON/CSV key, unit included: `declination_deg`, `north_nt_per_year`, …
            pub const fn key(self) -> &'static str {
                match self {
                    $(Quantity::$variant => $key,)*
                    $(Quantity::$u_variant => $u_key,)*
                }
            }

            /// The unit of its values.
            pub const fn unit(self) -> Unit {
                match self {
                    $(Quantity::$variant => Unit::$unit,)*
                    $(Quantity::$u_variant => Unit::$u_unit,)*
                }
            }

            /// A label for people, with the element's symbol: `Declination D`,
            /// `Horizontal intensity H`, …; a rate's or an uncertainty's label
            /// is its element's with `rate` or `uncertainty`.
            pub const fn label(self) -> &'static str {
                match self {
                    $(Quantity::$variant => $label,)*
                    $(Quantity::$u_variant => $u_label,)*
                }
            }

            /// A one-line description.
            pub const fn description(self) -> &'static str {
                match self {
                    $(Quantity::$variant => $description,)*
                    $(Quantity::$u_variant => $u_description,)*
                }
            }

            /// The element this is the value, rate or uncertainty of.
            pub const fn element(self) -> Element {
                match self {
                    $(Quantity::$variant => Element::$element,)*
                    $(Quantity::$u_variant => Element::$u_element,)*
                }
            }

            /// Value, rate of change or uncertainty.
            pub const fn kind(self) -> Kind {
                match self {
                    $(Quantity::$variant => quantities!(@kind $kind),)*
                    $(Quantity::$u_variant => Kind::Uncertainty,)*
                }
            }

            /// Its value in `elements`; `None` where it is undefined (grid
            /// variation equatorward of 55°) and for an uncertainty, which
            /// elements do not hold (see [`Quantity::read`]).
            #[inline(always)]
            pub fn get(self, elements: &MagneticElements) -> Option<f64> {
                match self {
                    $(Quantity::$variant => read_field!($presence, elements, $field),)*
                    $(Quantity::$u_variant => None,)*
                }
            }

            /// Its value in `elements` or, for an uncertainty, in
            /// `uncertainty` (`None` for a model without an error model).
            #[inline(always)]
            pub fn read(
                self,
                elements: &MagneticElements,
                uncertainty: Option<&Uncertainty>,
            ) -> Option<f64> {
                match self {
                    $(Quantity::$variant => read_field!($presence, elements, $field),)*
                    $(Quantity::$u_variant => uncertainty.map(|u| u.$u_field),)*
                }
            }
        }

        impl MagneticElements {
            /// Every value zero and no grid variation: a placeholder for
            /// output buffers.
            pub const ZERO: MagneticElements = MagneticElements {
                $($field: field_zero!($presence),)*
            };

            /// Elements from each field quantity's value: `value(q)` for
            /// every q of [`Quantity::FIELD`], NaN meaning undefined where a
            /// quantity may be (grid variation). Every field is named here,
            /// so a field of `MagneticElements` missing from the table does
            /// not compile.
            #[inline(always)]
            pub fn from_quantities(mut value: impl FnMut(Quantity) -> f64) -> MagneticElements {
                MagneticElements {
                    $($field: field_from_number!($presence, value(Quantity::$variant)),)*
                }
            }
        }

        impl Uncertainty {
            /// Uncertainties from each uncertainty quantity's value. Every
            /// field is named here, so a field missing from the table does
            /// not compile.
            pub fn from_quantities(mut value: impl FnMut(Quantity) -> f64) -> Uncertainty {
                Uncertainty {
                    $($u_field: value(Quantity::$u_variant),)*
                }
            }
        }

        /// The structs' own fields, so the table's types are checked against
        /// them: `field_type!` of each entry must be the field's type.
        #[allow(dead_code)]
        fn field_types_match(elements: &MagneticElements, uncertainty: &Uncertainty) {
            $(let _: field_type!($presence) = elements.$field;)*
            $(let _: f64 = uncertainty.$u_field;)*
        }
    };
    (@kind value) => { Kind::Value };
    (@kind rate) => { Kind::Rate };
}

quantities! {
    field {
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
    uncertainty {
    DeclinationUncertainty: declination_deg, "declination_uncertainty_deg", Degrees,
        "Declination D uncertainty", Declination,
        "One-sigma uncertainty of declination from the model's error model: it grows as H falls, to 180° at the dip poles.";
    InclinationUncertainty: inclination_deg, "inclination_uncertainty_deg", Degrees,
        "Inclination I uncertainty", Inclination,
        "One-sigma uncertainty of inclination from the model's error model.";
    NorthUncertainty: north_nt, "north_uncertainty_nt", Nanotesla,
        "North component X uncertainty", North,
        "One-sigma uncertainty of the north component from the model's error model.";
    EastUncertainty: east_nt, "east_uncertainty_nt", Nanotesla,
        "East component Y uncertainty", East,
        "One-sigma uncertainty of the east component from the model's error model.";
    DownUncertainty: down_nt, "down_uncertainty_nt", Nanotesla,
        "Down component Z uncertainty", Down,
        "One-sigma uncertainty of the down component from the model's error model.";
    HorizontalUncertainty: horizontal_nt, "horizontal_uncertainty_nt", Nanotesla,
        "Horizontal intensity H uncertainty", Horizontal,
        "One-sigma uncertainty of horizontal intensity from the model's error model.";
    TotalUncertainty: total_nt, "total_uncertainty_nt", Nanotesla,
        "Total intensity F uncertainty", Total,
        "One-sigma uncertainty of total intensity from the model's error model.";
    }
}

/// Each element's value, rate and uncertainty quantities, by `Element as
/// usize`, worked out from the table when compiling.
const BY_ELEMENT: [(Quantity, Option<Quantity>, Option<Quantity>); Element::ALL.len()] = {
    let mut table = [(Quantity::Declination, None, None); Element::ALL.len()];
    let mut i = 0;
    while i < Quantity::COUNT {
        let quantity = Quantity::ALL[i];
        let slot = &mut table[quantity.element() as usize];
        match quantity.kind() {
            Kind::Value => slot.0 = quantity,
            Kind::Rate => slot.1 = Some(quantity),
            Kind::Uncertainty => slot.2 = Some(quantity),
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

    /// The quantity holding `element`'s uncertainty; `None` for grid
    /// variation, which the error models leave out.
    pub const fn uncertainty_of(element: Element) -> Option<Quantity> {
        BY_ELEMENT[element as usize].2
    }

    /// Whether this is a rate of change (per year).
    pub const fn is_rate(self) -> bool {
        matches!(self.kind(), Kind::Rate)
    }

    /// Whether this is an element's value (not its rate or uncertainty).
    pub const fn is_value(self) -> bool {
        matches!(self.kind(), Kind::Value)
    }

    /// This value's uncertainty quantity (`None` for rates, uncertainties
    /// and grid variation).
    pub const fn uncertainty(self) -> Option<Quantity> {
        if self.is_value() {
            Self::uncertainty_of(self.element())
        } else {
            None
        }
    }

    /// This value's rate of change (`None` for a rate or an uncertainty).
    /// Grid variation changes as declination does, so its rate is
    /// [`Quantity::DeclinationRate`].
    pub fn rate(self) -> Option<Quantity> {
        if !self.is_value() {
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

/// The JSON of elements is the table: each field quantity's key and
/// value, in table order (undefined values as `null`).
impl Serialize for MagneticElements {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(Quantity::FIELD_COUNT))?;
        for quantity in Quantity::FIELD {
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
            assert_eq!(
                a.kind() == Kind::Uncertainty,
                a.key().contains("_uncertainty_")
            );
            assert_eq!(Quantity::from_key(a.key()), Some(*a));
        }
        // The field's quantities come first: a grid's bands are `q as usize`.
        assert_eq!(Quantity::FIELD[..], Quantity::ALL[..Quantity::FIELD_COUNT]);
        assert!(
            Quantity::FIELD
                .iter()
                .all(|q| q.kind() != Kind::Uncertainty)
        );
        assert!(
            Quantity::UNCERTAINTY
                .iter()
                .all(|q| q.kind() == Kind::Uncertainty)
        );
        assert_eq!(
            Quantity::FIELD_COUNT + Quantity::UNCERTAINTY.len(),
            Quantity::COUNT
        );
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
            match Quantity::uncertainty_of(element) {
                Some(uncertainty) => {
                    assert_eq!(uncertainty.element(), element);
                    assert_eq!(uncertainty.kind(), Kind::Uncertainty);
                    assert_eq!(value.uncertainty(), Some(uncertainty));
                    assert_eq!(uncertainty.unit(), value.unit());
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
        let uncertainty = Uncertainty::from_quantities(|q| 100.0 + q as usize as f64);
        for q in Quantity::ALL {
            let expected = Some(100.0 + q as usize as f64);
            assert_eq!(q.read(&elements, Some(&uncertainty)), expected, "{q:?}");
            match q.kind() {
                Kind::Uncertainty => {
                    assert_eq!(q.get(&elements), None);
                    assert_eq!(q.read(&elements, None), None);
                }
                _ => assert_eq!(q.get(&elements), expected, "{q:?}"),
            }
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
        let table: Vec<&str> = Quantity::FIELD.iter().map(|q| q.key()).collect();
        assert_eq!(keys, table);
    }
}

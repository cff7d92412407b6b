"""sanctrack's tables. Importing this package registers all of them on ``metadata``."""

from sanctrack.models.aircraft import Aircraft
from sanctrack.models.base import Model, metadata
from sanctrack.models.carried_by import CarriedBy
from sanctrack.models.category import Category, CategoryUnit
from sanctrack.models.claim import Claim
from sanctrack.models.claim_derivation import ClaimDerivation
from sanctrack.models.claim_derivation_movement import ClaimDerivationMovement
from sanctrack.models.dataset import Dataset
from sanctrack.models.designation import Designation
from sanctrack.models.estimate import EstimatedTransfer, UnestimatedTransfer, YearEstimate
from sanctrack.models.link import TransferLink
from sanctrack.models.load_record import LoadRecord
from sanctrack.models.materiel import MaterielType
from sanctrack.models.movement import Movement
from sanctrack.models.movement_claim import MovementClaim
from sanctrack.models.organisation import Alias, Organisation
from sanctrack.models.ownership import Ownership
from sanctrack.models.person import Person
from sanctrack.models.port import Port
from sanctrack.models.provision import Provision, ProvisionCategory, ProvisionMateriel
from sanctrack.models.regime import Regime
from sanctrack.models.rollup import RolledUpDataset, YearRollup
from sanctrack.models.seed_state import SeedState
from sanctrack.models.source import Source, SourceAuthor
from sanctrack.models.source_cite import SourceCite
from sanctrack.models.source_root import SourceRoot
from sanctrack.models.state import UNKNOWN_STATE, State, StateName
from sanctrack.models.transfer import Transfer
from sanctrack.models.unit import Unit
from sanctrack.models.vessel import Vessel, VesselFlag, VesselName
from sanctrack.models.vessel_claim import VesselClaim
from sanctrack.models.violation import Violation

__all__ = [
    "UNKNOWN_STATE",
    "Aircraft",
    "Alias",
    "CarriedBy",
    "Category",
    "CategoryUnit",
    "Claim",
    "ClaimDerivation",
    "ClaimDerivationMovement",
    "Dataset",
    "Designation",
    "EstimatedTransfer",
    "LoadRecord",
    "MaterielType",
    "Model",
    "Movement",
    "MovementClaim",
    "Organisation",
    "Ownership",
    "Person",
    "Port",
    "Provision",
    "ProvisionCategory",
    "ProvisionMateriel",
    "Regime",
    "RolledUpDataset",
    "SeedState",
    "Source",
    "SourceAuthor",
    "SourceCite",
    "SourceRoot",
    "State",
    "StateName",
    "Transfer",
    "TransferLink",
    "UnestimatedTransfer",
    "Unit",
    "Vessel",
    "VesselClaim",
    "VesselFlag",
    "VesselName",
    "Violation",
    "YearEstimate",
    "YearRollup",
    "metadata",
]
